package dev.sluice.testkit.seam;

import dev.sluice.api.reply.Reply;
import dev.sluice.api.reply.ReplyError;
import dev.sluice.api.reply.SessionChanges;

/** A {@link Reply} with the values a test gives it (see {@link Answer}, which sets them packet by packet). */
public final class ScriptedReply implements Reply {
    State state = State.START;
    int command = -1;
    Kind kind = Kind.NONE;
    ReplyError error;
    boolean packetIsOk;
    int serverStatus = TestPackets.STATUS_AUTOCOMMIT;
    long affectedRows;
    long lastInsertId;
    int warnings;
    long rowCount;
    int fieldCount;
    long generatedId = -1;
    int paramCount;
    SessionChanges sessionChanges = SessionChanges.NONE;
    String lastGtid;
    boolean localInfileRequested;

    ScriptedReply copy() {
        ScriptedReply r = new ScriptedReply();
        r.state = state;
        r.command = command;
        r.kind = kind;
        r.error = error;
        r.packetIsOk = packetIsOk;
        r.serverStatus = serverStatus;
        r.affectedRows = affectedRows;
        r.lastInsertId = lastInsertId;
        r.warnings = warnings;
        r.rowCount = rowCount;
        r.fieldCount = fieldCount;
        r.generatedId = generatedId;
        r.paramCount = paramCount;
        r.sessionChanges = sessionChanges;
        r.lastGtid = lastGtid;
        r.localInfileRequested = localInfileRequested;
        return r;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public int command() {
        return command;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public ReplyError error() {
        return error;
    }

    @Override
    public boolean packetIsOk() {
        return packetIsOk;
    }

    @Override
    public int serverStatus() {
        return serverStatus;
    }

    @Override
    public long affectedRows() {
        return affectedRows;
    }

    @Override
    public long lastInsertId() {
        return lastInsertId;
    }

    @Override
    public int warnings() {
        return warnings;
    }

    @Override
    public long rowCount() {
        return rowCount;
    }

    @Override
    public int fieldCount() {
        return fieldCount;
    }

    @Override
    public long generatedId() {
        return generatedId;
    }

    @Override
    public int paramCount() {
        return paramCount;
    }

    @Override
    public SessionChanges sessionChanges() {
        return sessionChanges;
    }

    @Override
    public String lastGtid() {
        return lastGtid;
    }

    @Override
    public boolean localInfileRequested() {
        return localInfileRequested;
    }

    @Override
    public String toString() {
        return "ScriptedReply[" + state + ", " + kind + (error != null ? " " + error : "") + ", rows=" + rowCount + "]";
    }
}
