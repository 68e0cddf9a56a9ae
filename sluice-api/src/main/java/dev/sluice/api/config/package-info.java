/**
 * Typed module parameters. Each module declares its parameters once, as {@link dev.sluice.api.config.Param}
 * constants collected in a {@link dev.sluice.api.config.ParamSpec}; the same spec drives the INI loader,
 * validation, the REST representation, CLI help and the parameter reference in {@code docs/}.
 */
package dev.sluice.api.config;
