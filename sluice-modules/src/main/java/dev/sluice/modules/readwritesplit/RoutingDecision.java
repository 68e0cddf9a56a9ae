package dev.sluice.modules.readwritesplit;

/**
 * The outcome of {@link TargetDecider}: the target, the server name for {@link RouteTarget#NAMED_SERVER}, and
 * the reason in words (what {@code /* sluice explain *&#47;} shows).
 */
record RoutingDecision(RouteTarget target, String serverName, String reason) {
    static RoutingDecision of(RouteTarget target, String reason) {
        return new RoutingDecision(target, "", reason);
    }

    boolean isRead() {
        return target == RouteTarget.REPLICA;
    }
}
