/**
 * {@code readwritesplit}: statement-level routing. Writes and transactions go to the primary, autocommit reads
 * to a replica, session commands to every connection. Split by job: {@link
 * dev.sluice.modules.readwritesplit.TargetDecider} (where a statement goes), {@link
 * dev.sluice.modules.readwritesplit.ReplicaSelector} (which replica), {@link
 * dev.sluice.modules.readwritesplit.TransactionState} (transaction tracking), {@link
 * dev.sluice.modules.readwritesplit.SessionCommandHistory} (session commands to replay), {@link
 * dev.sluice.modules.readwritesplit.PreparedStatements} and {@link
 * dev.sluice.modules.readwritesplit.StatementPackets} (binary prepared statements), orchestrated by {@link
 * dev.sluice.modules.readwritesplit.ReadWriteSplitSession}.
 */
package dev.sluice.modules.readwritesplit;
