/**
 * Test support shared by all Sluice modules, also used by {@code bin/sluice sandbox}: a real MariaDB
 * primary/replica topology launcher ({@link dev.sluice.testkit.MariaDbTopology}, its binaries
 * {@link dev.sluice.testkit.MariaDbBinaries}), the JUnit 5 extension that starts it
 * ({@link dev.sluice.testkit.MariaDbCluster}) and a Netty leak check ({@link dev.sluice.testkit.LeakCheck}).
 *
 * <p>Every process is started and signalled by PID through its own {@code Process} handle; nothing here
 * looks processes up by name, so other servers on the same machine are never touched.
 */
package dev.sluice.testkit;
