package dev.sluice.modules.readwritesplit;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The session commands a connection opened later must replay to reach the session's state, in order. Bounded
 * by max_sescmd_history, counting everything but binary prepares (kept while their statement is open, as in
 * MaxScale): when full, prune_sescmd_history drops the oldest command, otherwise the history is marked lost
 * (no more connections may be opened for the session). disable_sescmd_history keeps nothing and marks the
 * history lost at the first command. Entries hold a retained copy of the request; the history releases it when
 * the entry is removed or at {@link #releaseAll()}. Confined to the session's worker.
 */
final class SessionCommandHistory {
    /** One remembered command and the outcome the primary gave it (a replay must give the same). */
    static final class Entry {
        final long position;
        final ByteBuf packet;
        final int command;
        final boolean expectedOk;
        /** The client's statement id for a COM_STMT_PREPARE, else -1. */
        final long clientStatementId;

        Entry(long position, ByteBuf packet, int command, boolean expectedOk, long clientStatementId) {
            this.position = position;
            this.packet = packet;
            this.command = command;
            this.expectedOk = expectedOk;
            this.clientStatementId = clientStatementId;
        }

        boolean isPrepare() {
            return clientStatementId >= 0;
        }
    }

    private final int max;
    private final boolean prune;
    private final boolean disabled;
    private final List<Entry> entries = new ArrayList<>();
    private long nextPosition;
    private int counted;
    private boolean lost;

    SessionCommandHistory(int max, boolean prune, boolean disabled) {
        this.max = max;
        this.prune = prune;
        this.disabled = disabled;
    }

    /** Remembers a command; takes ownership of {@code packet}. Returns the entry, or null when not kept. */
    Entry add(ByteBuf packet, int command, boolean expectedOk, long clientStatementId) {
        if (disabled || lost) {
            packet.release();
            lost = true;
            return null;
        }
        Entry e = new Entry(nextPosition++, packet, command, expectedOk, clientStatementId);
        entries.add(e);
        if (e.isPrepare()) {
            return e;
        }
        counted++;
        if (counted > max) {
            if (prune) {
                for (int i = 0; i < entries.size(); i++) {
                    if (!entries.get(i).isPrepare()) {
                        entries.remove(i).packet.release();
                        counted--;
                        break;
                    }
                }
            } else {
                lost = true;
            }
        }
        return e;
    }

    /** Forgets the prepare of a closed statement. */
    void removePrepare(long clientStatementId) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).clientStatementId == clientStatementId) {
                entries.remove(i).packet.release();
                return;
            }
        }
    }

    /** The first entry at or after {@code position}, or null. */
    Entry from(long position) {
        for (Entry e : entries) {
            if (e.position >= position) {
                return e;
            }
        }
        return null;
    }

    /** False once commands were lost (disabled, or full without pruning): a new connection cannot catch up. */
    boolean intact() {
        return !lost;
    }

    int size() {
        return entries.size();
    }

    void releaseAll() {
        for (Entry e : entries) {
            e.packet.release();
        }
        entries.clear();
        counted = 0;
    }
}
