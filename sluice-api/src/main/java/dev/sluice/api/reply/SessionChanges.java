package dev.sluice.api.reply;

import java.util.Locale;
import java.util.Map;

/**
 * The session state changes one OK packet reported (CLIENT_SESSION_TRACK negotiated and
 * SERVER_SESSION_STATE_CHANGED set; https://mariadb.com/kb/en/ok_packet/). {@code null} fields were not in the
 * packet.
 *
 * @param systemVariables            tracked system variables that changed, names in lower case (e.g.
 *                                   {@code last_gtid}, {@code autocommit}, {@code tx_isolation})
 * @param schema                     the new default database
 * @param gtids                      MySQL's {@code session_track_gtids} entry
 * @param transactionCharacteristics SQL that restarts the transaction as it is (e.g.
 *                                   {@code START TRANSACTION READ ONLY;}), or empty
 * @param transactionState           eight characters: {@code T}/{@code I}/{@code _} (explicit, implicit, no
 *                                   transaction), then {@code r R w W s S L} or {@code _}
 */
public record SessionChanges(Map<String, String> systemVariables, String schema, String gtids,
        String transactionCharacteristics, String transactionState) {

    /** No changes. */
    public static final SessionChanges NONE = new SessionChanges(Map.of(), null, null, null, null);

    public SessionChanges {
        systemVariables = Map.copyOf(systemVariables);
    }

    /** The new value of a tracked system variable, or null when it did not change. */
    public String variable(String name) {
        String v = systemVariables.get(name);
        return v != null ? v : systemVariables.get(name.toLowerCase(Locale.ROOT));
    }

    /** The GTID of the last write: the {@code last_gtid} variable, else MySQL's GTID entry; null when neither. */
    public String lastGtid() {
        String gtid = systemVariables.get("last_gtid");
        if (gtid == null || gtid.isEmpty()) {
            gtid = gtids;
        }
        return gtid == null || gtid.isEmpty() ? null : gtid;
    }

    /**
     * Whether the transaction state says a transaction is open: explicit ({@code T}) or implicit ({@code I},
     * autocommit off). Null when the packet did not report the transaction state.
     */
    public Boolean transactionOpen() {
        if (transactionState == null || transactionState.isEmpty()) {
            return null;
        }
        char c = transactionState.charAt(0);
        return c == 'T' || c == 'I';
    }

    /** The transaction state says the open transaction wrote (transactional or not) to a table. */
    public boolean transactionWrote() {
        return transactionState != null && (transactionState.indexOf('W') >= 0 || transactionState.indexOf('w') >= 0);
    }

    /** The transaction characteristics start a read-only transaction. */
    public boolean readOnlyTransaction() {
        return transactionCharacteristics != null
                && transactionCharacteristics.toUpperCase(Locale.ROOT).contains("READ ONLY");
    }

    /** Whether the packet carried any session state change. */
    public boolean isEmpty() {
        return systemVariables.isEmpty() && schema == null && gtids == null && transactionCharacteristics == null
                && transactionState == null;
    }
}
