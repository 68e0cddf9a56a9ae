/**
 * The {@code sluice} command: runs the proxy from a configuration file, starts the sandbox (a local MariaDB
 * cluster with Sluice in front), and hosts the {@code ctl} admin verbs. One class per verb (picocli).
 */
package dev.sluice.cli;
