/**
 * {@code readwritesplit}: statement-level routing. Writes and transactions go to the primary, autocommit reads
 * to a replica, session commands to every connection. Split by job, orchestrated by {@link
 * dev.sluice.modules.readwritesplit.ReadWriteSplitSession} (connections, the request in flight, replies and
 * failures): {@link dev.sluice.modules.readwritesplit.TargetDecider} decides where a statement goes, {@link
 * dev.sluice.modules.readwritesplit.BackendSelection} and {@link dev.sluice.modules.readwritesplit.ReplicaSelector}
 * pick the connection, {@link dev.sluice.modules.readwritesplit.SessionCommandRouting} and {@link
 * dev.sluice.modules.readwritesplit.SessionCommandHistory} handle session commands, {@link
 * dev.sluice.modules.readwritesplit.CausalReadRouting} causal reads, {@link
 * dev.sluice.modules.readwritesplit.PreparedStatementRouting} binary prepared statements, {@link
 * dev.sluice.modules.readwritesplit.TransactionState} tracks transactions, {@link
 * dev.sluice.modules.readwritesplit.HintStack} keeps begin/end hints, {@link
 * dev.sluice.modules.readwritesplit.BackendFailures} decides what a failed connection means, {@link
 * dev.sluice.modules.readwritesplit.DelayedRetry} makes requests wait for a primary, {@link
 * dev.sluice.modules.readwritesplit.TransactionReplay} and {@link dev.sluice.modules.readwritesplit.ReplyChecksum}
 * re-run an interrupted transaction on the next primary, {@link
 * dev.sluice.modules.readwritesplit.OptimisticTransaction} runs read-write transactions on a replica until
 * their first write, and {@link
 * dev.sluice.modules.readwritesplit.Explain} answers {@code /* sluice explain *&#47;}.
 */
package dev.sluice.modules.readwritesplit;
