package dev.sluice.server.session;

import java.util.List;
import dev.sluice.api.auth.Authenticator;
import dev.sluice.server.core.ServiceRuntime;
import io.netty.handler.ssl.SslContext;

/**
 * What a listener hands each client connection it accepts.
 *
 * @param ssl TLS for clients, or null when the listener has {@code ssl=false}; with TLS, clients must use it
 */
public record ListenerContext(String listenerName, ServiceRuntime service, SslContext ssl, SessionRegistry registry,
                              Workers workers, int defaultCollation, List<Authenticator> authenticators) {
    public ListenerContext {
        authenticators = List.copyOf(authenticators);
        if (authenticators.isEmpty()) {
            throw new IllegalArgumentException("listener " + listenerName + ": no authenticator");
        }
    }
}
