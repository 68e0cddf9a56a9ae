package dev.sluice.api.monitor;

/** The factory of a monitor module ({@code type=monitor}, {@code module=NAME}). */
@FunctionalInterface
public interface MonitorFactory {
    Monitor create(MonitorContext context);
}
