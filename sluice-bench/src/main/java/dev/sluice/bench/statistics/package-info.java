/** Cost of the per-server statistics kept on the backend reply path. */
package dev.sluice.bench.statistics;
