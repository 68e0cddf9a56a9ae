/** JMH benchmarks of the reply path: what the protocol layer spends per reply packet. */
package dev.sluice.bench.reply;
