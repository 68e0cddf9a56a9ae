package dev.sluice.server.config;

import java.util.Locale;
import java.util.Optional;

/** The values of {@code type=}: what kind of object a section defines. */
enum SectionType {
    SERVER, SERVICE, LISTENER, MONITOR, FILTER, INCLUDE;

    static final String EXPECTED = "server, service, listener, monitor, filter or include";

    static Optional<SectionType> parse(String value) {
        for (SectionType t : values()) {
            if (t.configName().equalsIgnoreCase(value.strip())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
