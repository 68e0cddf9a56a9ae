/**
 * Runtime objects and their lifecycles: {@link dev.sluice.server.core.RefCounted} (the reference-counting rule
 * of ARCHITECTURE.md), servers, services (immutable snapshots that sessions take once), monitors, the
 * copy-on-write registries that runtime changes edit, and {@link dev.sluice.server.core.Lifecycles}, which
 * counts creations and releases so tests can prove every object is released exactly once.
 */
package dev.sluice.server.core;
