package dev.sluice.server.admin;

import dev.sluice.server.auth.HostPattern;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code admin_readwrite_hosts} and {@code admin_readonly_hosts}: comma-separated host patterns (MariaDB
 * account host syntax: literal address or name, {@code %} and {@code _} wildcards, {@code address/netmask})
 * that decide, per client address, what an authenticated account may do. An {@code admin} account has full
 * access from a read-write host; from a host that is only read-only it is treated as a {@code basic}
 * account; from neither it is refused. A {@code basic} account is let in from a read-only host. The default
 * {@code %} lets everyone in, as before. Immutable, set at start (the parameters are not modifiable).
 */
final class AdminHosts {
    private final List<HostPattern> readWrite;
    private final List<HostPattern> readOnly;

    AdminHosts(String readWriteHosts, String readOnlyHosts) {
        this.readWrite = parse(readWriteHosts);
        this.readOnly = parse(readOnlyHosts);
    }

    private static List<HostPattern> parse(String list) {
        List<HostPattern> out = new ArrayList<>();
        for (String h : list.split(",")) {
            if (!h.isBlank()) {
                out.add(HostPattern.parse(h.trim()));
            }
        }
        return out;
    }

    /** What {@code principal} may do from {@code remote}: itself, a read-only version of it, or null (refused). */
    AdminUsers.Principal restrict(AdminUsers.Principal principal, SocketAddress remote) {
        String address = remote instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "localhost";
        if (principal.mayWrite() && matches(readWrite, address)) {
            return principal;
        }
        if (matches(readOnly, address)) {
            return principal.mayWrite() ? new AdminUsers.Principal(principal.name(), AdminUsers.BASIC) : principal;
        }
        return null;
    }

    private static boolean matches(List<HostPattern> patterns, String address) {
        for (HostPattern p : patterns) {
            if (p.matches(address, true)) {
                return true;
            }
        }
        return false;
    }
}
