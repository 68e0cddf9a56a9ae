/** The cost of a monitor tick against real servers ({@link dev.sluice.bench.monitor.MonitorTickCost}). */
package dev.sluice.bench.monitor;
