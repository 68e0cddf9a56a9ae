package dev.sluice.server.admin;

import dev.sluice.api.config.ParamValues;
import dev.sluice.server.config.GlobalParams;
import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.time.Duration;
import java.util.Map;

/**
 * OpenTelemetry metrics export, as MaxScale 25.10's {@code telemetry=true} / {@code telemetry_url}: the meters of
 * {@code /metrics} are pushed as OTLP over HTTP (protobuf) to {@code telemetry_url} every
 * {@code telemetry_interval}, with the resource attribute {@code service.name=sluice}. Built on Micrometer's OTLP
 * registry, which publishes from its own daemon thread.
 */
final class Telemetry {
    private Telemetry() {
    }

    /** The OTLP registry the globals ask for, or null when {@code telemetry=false}. */
    static OtlpMeterRegistry registry(ParamValues g) {
        if (!g.get(GlobalParams.TELEMETRY)) {
            return null;
        }
        String url = g.get(GlobalParams.TELEMETRY_URL);
        Duration step = g.get(GlobalParams.TELEMETRY_INTERVAL);
        OtlpConfig config = new OtlpConfig() {
            @Override
            public String get(String key) {
                return null; // everything else: Micrometer's defaults, never the environment
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public Duration step() {
                return step;
            }

            @Override
            public Map<String, String> resourceAttributes() {
                return Map.of("service.name", "sluice");
            }
        };
        return new OtlpMeterRegistry(config, Clock.SYSTEM);
    }
}
