package dev.sluice.server.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The host part of a MariaDB account, matched against a client address as the server does: literal names
 * and addresses, {@code %} and {@code _} wildcards, and {@code address/netmask}. {@code localhost} matches
 * Unix-socket clients and loopback addresses. Immutable.
 */
public final class HostPattern {
    private final String pattern;
    private final byte[] network;
    private final byte[] mask;
    private final int specificity;

    private HostPattern(String pattern, byte[] network, byte[] mask, int specificity) {
        this.pattern = pattern;
        this.network = network;
        this.mask = mask;
        this.specificity = specificity;
    }

    public static HostPattern parse(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        int slash = h.indexOf('/');
        if (slash > 0) {
            byte[] net = literalAddress(h.substring(0, slash));
            byte[] mask = literalAddress(h.substring(slash + 1));
            if (net != null && mask != null && net.length == mask.length) {
                return new HostPattern(h, net, mask, 2);
            }
        }
        int firstWildcard = firstWildcard(h);
        int specificity = firstWildcard < 0 ? 3 : (h.equals("%") ? 0 : 1);
        return new HostPattern(h, null, null, specificity);
    }

    /** 3 = literal, 2 = netmask, 1 = wildcard, 0 = {@code %}; the server tries more specific hosts first. */
    public int specificity() {
        return specificity;
    }

    /** Length of the literal prefix, a secondary sort key among wildcard patterns. */
    public int literalPrefix() {
        int w = firstWildcard(pattern);
        return w < 0 ? pattern.length() : w;
    }

    /**
     * @param clientAddress textual IP of the client, or {@code "localhost"} for a Unix socket
     * @param skipNameResolve as the server's {@code skip_name_resolve}: when false a loopback address
     *                        resolves to the name {@code localhost} and matches it
     */
    public boolean matches(String clientAddress, boolean skipNameResolve) {
        String addr = clientAddress.toLowerCase(Locale.ROOT);
        if (network != null) {
            byte[] a = literalAddress(addr);
            if (a == null || a.length != network.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                if ((a[i] & mask[i]) != (network[i] & mask[i])) {
                    return false;
                }
            }
            return true;
        }
        if (pattern.equals("localhost")) {
            return addr.equals("localhost") || (!skipNameResolve && isLoopback(addr));
        }
        if (likeMatch(pattern, 0, addr, 0)) {
            return true;
        }
        // IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d
        return addr.startsWith("::ffff:") && likeMatch(pattern, 0, addr.substring(7), 0);
    }

    private static boolean isLoopback(String addr) {
        return addr.startsWith("127.") || addr.equals("::1") || addr.equals("0:0:0:0:0:0:0:1")
                || addr.startsWith("::ffff:127.");
    }

    /** SQL LIKE matching with % and _, iterative over the pattern with backtracking on the last %. */
    static boolean likeMatch(String p, int pi, String s, int si) {
        int starP = -1;
        int starS = -1;
        while (si < s.length()) {
            if (pi < p.length() && (p.charAt(pi) == '_' || p.charAt(pi) == s.charAt(si))) {
                pi++;
                si++;
            } else if (pi < p.length() && p.charAt(pi) == '%') {
                starP = pi++;
                starS = si;
            } else if (starP >= 0) {
                pi = starP + 1;
                si = ++starS;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '%') {
            pi++;
        }
        return pi == p.length();
    }

    private static int firstWildcard(String h) {
        int a = h.indexOf('%');
        int b = h.indexOf('_');
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }

    private static byte[] literalAddress(String s) {
        if (s.isEmpty() || !(Character.isDigit(s.charAt(0)) || s.indexOf(':') >= 0)) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isDigit(c) || c == '.' || c == ':' || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(s).getAddress(); // literal: no DNS lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return pattern;
    }
}
