/**
 * {@code hintfilter} (MaxScale's name): lets the clients of a service steer statements with routing hints in
 * comments ({@code -- maxscale route to master}, {@code /* maxscale route to server db2 *&#47;}, named hints and
 * stacks with {@code begin} / {@code end} / {@code prepare}, {@code max_replication_lag=N}). Without it in the
 * service's chain, hints in client SQL are ignored, as in MaxScale.
 */
package dev.sluice.modules.hintfilter;
