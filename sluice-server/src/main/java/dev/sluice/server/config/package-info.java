/**
 * Loading and validating the MaxScale-format configuration ({@code maxscale.cnf}, its {@code .cnf.d}
 * directory, {@code @include} sections) into an immutable {@link dev.sluice.server.config.SluiceConfig}.
 * The core object types declare their parameters in {@code XxxParams} classes; modules declare theirs in
 * their {@link dev.sluice.api.Module} spec. Every problem is collected and reported with file, line and key.
 */
package dev.sluice.server.config;
