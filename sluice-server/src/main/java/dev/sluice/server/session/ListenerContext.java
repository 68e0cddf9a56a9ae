package dev.sluice.server.session;

import dev.sluice.api.auth.Authenticator;
import dev.sluice.server.core.ServiceRuntime;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What a listener hands each client connection it accepts.
 *
 * @param tls TLS for clients, holding null when the listener has {@code ssl=false}; with TLS, clients must use it.
 *            {@code reload tls} swaps the context: connections accepted afterwards use the new certificate,
 *            sessions already running keep theirs
 * @param services the running services by name (the targets of a service that routes to services)
 */
public record ListenerContext(String listenerName, ServiceRuntime service, AtomicReference<SslContext> tls,
                              SessionRegistry registry, Workers workers, int defaultCollation,
                              List<Authenticator> authenticators, Function<String, ServiceRuntime> services) {
    public ListenerContext {
        authenticators = List.copyOf(authenticators);
        if (authenticators.isEmpty()) {
            throw new IllegalArgumentException("listener " + listenerName + ": no authenticator");
        }
    }

    /** The current TLS context, or null without TLS. */
    public SslContext ssl() {
        return tls.get();
    }
}
