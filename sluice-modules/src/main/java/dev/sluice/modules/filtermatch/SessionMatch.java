package dev.sluice.modules.filtermatch;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code user} and {@code source} conditions of MaxScale's filters: a filter acts only in sessions of that
 * user and from those client addresses. {@code source} is a comma-separated list of addresses, where an IPv4
 * address may use {@code %} for whole octets ({@code 192.168.%.%}); other entries (host names, IPv6 addresses)
 * must equal the client's address as the server would see it. Empty means any. Immutable.
 */
public final class SessionMatch {
    /** MaxScale's {@code source} parameter. */
    public static final Param<String> SOURCE = Param.string("source", "",
            "Act only in sessions from these client addresses (comma-separated; % stands for an IPv4 octet).")
            .modifiable();
    /** MaxScale's {@code user} parameter. */
    public static final Param<String> USER = Param.string("user", "",
            "Act only in sessions of this user.").modifiable();

    private final String user;
    private final List<String[]> sources;

    private SessionMatch(String user, List<String[]> sources) {
        this.user = user;
        this.sources = sources;
    }

    /** The conditions of a filter section that declares {@link #USER} and {@link #SOURCE}. */
    public static SessionMatch from(ParamValues values) {
        return of(values.get(USER), values.get(SOURCE));
    }

    public static SessionMatch of(String user, String source) {
        List<String[]> sources = new ArrayList<>();
        for (String s : source.split(",")) {
            String t = s.strip();
            if (!t.isEmpty()) {
                sources.add(t.split("\\.", -1));
            }
        }
        return new SessionMatch(user.strip(), List.copyOf(sources));
    }

    /** Whether a session of {@code sessionUser} from {@code clientHost} is one the filter acts in. */
    public boolean matches(String sessionUser, String clientHost) {
        if (!user.isEmpty() && !user.equals(sessionUser)) {
            return false;
        }
        if (sources.isEmpty()) {
            return true;
        }
        String[] host = clientHost.split("\\.", -1);
        for (String[] source : sources) {
            if (sameAddress(source, host)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String[] pattern, String[] host) {
        if (pattern.length != host.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            boolean wildcard = pattern.length == 4 && pattern[i].equals("%");
            if (!wildcard && !pattern[i].toLowerCase(Locale.ROOT).equals(host[i].toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }
}
