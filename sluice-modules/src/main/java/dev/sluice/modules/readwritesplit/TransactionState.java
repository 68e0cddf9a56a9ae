package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;

/**
 * The session's transaction state as readwritesplit sees it: predicted from each statement's classification
 * before it is routed ({@link #beforeStatement}), then corrected from the server status flags of its reply
 * ({@link #afterReply}). Also holds the session's lock to the primary (SERIALIZABLE isolation,
 * strict_multi_stmt, strict_sp_calls). Confined to the session's worker.
 */
final class TransactionState {
    /** What a statement did to the transaction count, for the router's statistics. */
    enum Start { NONE, READ_WRITE, READ_ONLY }

    private static final int IN_TRANS = 1;     // ServerStatusFlag.IN_TRANS
    private static final int AUTOCOMMIT = 2;   // ServerStatusFlag.AUTOCOMMIT

    private boolean autocommit = true;
    private boolean open;
    private boolean readOnly;
    private boolean nextReadOnly;
    private boolean endsAfterReply;
    private boolean startedByStatement;
    /** The statement being routed opens the transaction (BEGIN, or the first one with autocommit=0). */
    private boolean openedByStatement;
    private String lockReason = "";

    TransactionState copy() {
        TransactionState c = new TransactionState();
        c.autocommit = autocommit;
        c.open = open;
        c.readOnly = readOnly;
        c.nextReadOnly = nextReadOnly;
        c.endsAfterReply = endsAfterReply;
        c.lockReason = lockReason;
        return c;
    }

    /** Applies what the statement will do to the transaction state, before it is routed. */
    Start beforeStatement(QueryInfo info) {
        long t = info.types();
        Start start = Start.NONE;
        startedByStatement = false;
        openedByStatement = false;
        if ((t & QueryType.BEGIN_TRX) != 0) {
            open = true;
            readOnly = (t & QueryType.TRX_READ_ONLY) != 0 || (nextReadOnly && (t & QueryType.TRX_READ_WRITE) == 0);
            nextReadOnly = false;
            startedByStatement = true;
            openedByStatement = true;
            start = readOnly ? Start.READ_ONLY : Start.READ_WRITE;
        } else if (!open && !autocommit && !isSessionOnly(t)) {
            // autocommit=0: this statement opens a transaction on the primary
            open = true;
            readOnly = false;
            openedByStatement = true;
            start = Start.READ_WRITE;
        }
        if ((t & (QueryType.COMMIT | QueryType.ROLLBACK)) != 0 && !startedByStatement) {
            endsAfterReply = true;
        }
        if ((t & QueryType.IMPLICIT_COMMIT) != 0 && open && !startedByStatement) {
            endsAfterReply = true;
        }
        if ((t & QueryType.ENABLE_AUTOCOMMIT) != 0) {
            autocommit = true;
            if (open) {
                endsAfterReply = true;
            }
        } else if ((t & QueryType.DISABLE_AUTOCOMMIT) != 0) {
            autocommit = false;
        }
        if ((t & QueryType.NEXT_TRX) != 0 && (t & QueryType.TRX_READ_ONLY) != 0) {
            nextReadOnly = true;
        }
        if ((t & QueryType.SERIALIZABLE) != 0) {
            lockReason = "isolation level SERIALIZABLE";
        } else if ((t & QueryType.ISOLATION_LEVEL) != 0 && lockReason.startsWith("isolation")) {
            lockReason = "";
        }
        return start;
    }

    private static boolean isSessionOnly(long t) {
        return (t & (QueryType.SESSION_WRITE | QueryType.USERVAR_WRITE)) != 0 && (t & QueryType.WRITE) == 0;
    }

    /**
     * Corrects the prediction from the reply to the statement: the server's IN_TRANS and AUTOCOMMIT flags when
     * it succeeded; a failed BEGIN opened nothing.
     */
    void afterReply(boolean ok, int statusFlags) {
        if (ok) {
            open = (statusFlags & IN_TRANS) != 0;
            autocommit = (statusFlags & AUTOCOMMIT) != 0;
            if (!open) {
                readOnly = false;
            }
        } else if (startedByStatement) {
            open = false;
            readOnly = false;
        } else if (endsAfterReply) {
            // a failed COMMIT/ROLLBACK: the server still reports the transaction on its next OK
            open = false;
            readOnly = false;
        }
        endsAfterReply = false;
        startedByStatement = false;
        openedByStatement = false;
    }

    /**
     * Corrects the state from the session state tracking data of the reply (null: not reported): the transaction
     * state ({@code T}/{@code I}: open), the new {@code autocommit} value and isolation level, so that what a stored
     * procedure did (START TRANSACTION, SET autocommit=0, SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE)
     * counts as if the client had sent it.
     */
    void afterTracking(Boolean trxOpen, String autocommitValue, String isolation) {
        if (trxOpen != null) {
            open = trxOpen;
            if (!open) {
                readOnly = false;
            }
        }
        if (autocommitValue != null) {
            autocommit = "ON".equalsIgnoreCase(autocommitValue) || "1".equals(autocommitValue);
        }
        if (isolation != null) {
            if ("SERIALIZABLE".equalsIgnoreCase(isolation)) {
                lockReason = "isolation level SERIALIZABLE";
            } else if (lockReason.startsWith("isolation")) {
                lockReason = "";
            }
        }
    }

    /** The transaction ended without a reply (its connection was lost). */
    void reset() {
        open = false;
        readOnly = false;
        endsAfterReply = false;
        startedByStatement = false;
        openedByStatement = false;
    }

    /** Statements must stay where the transaction runs: an open transaction, or autocommit off. */
    boolean pinned() {
        return open || !autocommit;
    }

    /**
     * True while the statement being routed (until its reply) is the one that opens the transaction: nothing of
     * the transaction has reached a server yet, so it may still start on another primary.
     */
    boolean openedByStatement() {
        return open && openedByStatement;
    }

    boolean readOnlyTransaction() {
        return open && readOnly;
    }

    boolean autocommit() {
        return autocommit;
    }

    boolean open() {
        return open;
    }

    /** True when the reply to the current statement ends the transaction (COMMIT, ROLLBACK, implicit commit). */
    boolean endsAfterReply() {
        return endsAfterReply;
    }

    void lockToPrimary(String reason) {
        lockReason = reason;
    }

    /** Why the session is locked to the primary, or empty. */
    String lockReason() {
        return lockReason;
    }
}
