package dev.sluice.testkit.seam;

import dev.sluice.api.reply.Reply;
import dev.sluice.api.reply.ReplyError;
import dev.sluice.api.reply.SessionChanges;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A backend's whole answer to one request: its packets (built fresh each time it is delivered, sequence numbers
 * from 1) and, for each, the {@link Reply} the protocol layer would hand up with it. Immutable.
 */
public final class Answer {
    /** One packet of the answer and the reply as it stands once that packet arrived. */
    public record Step(IntFunction<ByteBuf> packet, ScriptedReply reply) {
    }

    private final List<Step> steps;
    private final String description;

    private Answer(List<Step> steps, String description) {
        this.steps = List.copyOf(steps);
        this.description = description;
    }

    public List<Step> steps() {
        return steps;
    }

    /** OK with the status flags (autocommit, no transaction by default). */
    public static Answer ok() {
        return ok(0, TestPackets.STATUS_AUTOCOMMIT);
    }

    public static Answer ok(long affectedRows, int status) {
        ScriptedReply r = done(Reply.Kind.OK, status);
        r.affectedRows = affectedRows;
        r.packetIsOk = true;
        return new Answer(List.of(new Step(seq -> TestPackets.ok(seq, affectedRows, 0, status), r)),
                "OK" + (affectedRows != 0 ? "(" + affectedRows + ")" : ""));
    }

    /** An OK that reports session state changes (the connection tracks the session state). */
    public static Answer okWithChanges(int status, Map<String, String> variables, String transactionState) {
        ScriptedReply r = done(Reply.Kind.OK, status | 0x4000);
        r.packetIsOk = true;
        r.sessionChanges = new SessionChanges(variables, null, null, null, transactionState);
        r.lastGtid = r.sessionChanges.lastGtid();
        return new Answer(List.of(new Step(seq -> TestPackets.ok(seq, 0, 0, status), r)), "OK");
    }

    public static Answer err(int code, String sqlState, String message) {
        ScriptedReply r = done(Reply.Kind.ERROR, TestPackets.STATUS_AUTOCOMMIT);
        r.error = new ReplyError(code, sqlState, message);
        return new Answer(List.of(new Step(seq -> TestPackets.err(seq, code, sqlState, message), r)),
                "ERR(" + code + ")");
    }

    /** A result set of one column {@code column} and one row per value (classic EOFs). */
    public static Answer rows(String column, String... values) {
        return rows(TestPackets.STATUS_AUTOCOMMIT, column, values);
    }

    public static Answer rows(int status, String column, String... values) {
        List<Step> steps = new ArrayList<>();
        ScriptedReply r = new ScriptedReply();
        r.kind = Reply.Kind.RESULT_SET;
        r.fieldCount = 1;
        r.state = Reply.State.COLUMN_DEFINITIONS;
        steps.add(new Step(seq -> TestPackets.columnCount(seq, 1), r.copy()));
        steps.add(new Step(seq -> TestPackets.columnDefinition(seq, column), r.copy()));
        r.state = Reply.State.ROWS;
        steps.add(new Step(seq -> TestPackets.eof(seq, status), r.copy()));
        for (String v : values) {
            r.rowCount++;
            steps.add(new Step(seq -> TestPackets.textRow(seq, v), r.copy()));
        }
        r.state = Reply.State.DONE;
        r.serverStatus = status;
        steps.add(new Step(seq -> TestPackets.eof(seq, status), r.copy()));
        return new Answer(steps, "rows" + List.of(values));
    }

    /** COM_STMT_PREPARE's answer: OK with the id, {@code params} parameter definitions, no result columns. */
    public static Answer prepared(long statementId, int params) {
        List<Step> steps = new ArrayList<>();
        ScriptedReply r = new ScriptedReply();
        r.kind = Reply.Kind.OK;
        r.generatedId = statementId;
        r.paramCount = params;
        r.state = params > 0 ? Reply.State.PREPARE : Reply.State.DONE;
        steps.add(new Step(seq -> TestPackets.prepareOk(seq, statementId, 0, params), r.copy()));
        for (int i = 0; i < params; i++) {
            if (i == params - 1) {
                r.state = Reply.State.DONE;
            }
            steps.add(new Step(seq -> TestPackets.columnDefinition(seq, "?"), r.copy()));
        }
        // classic EOF after the parameter definitions is left out: tests run as CLIENT_DEPRECATE_EOF here
        return new Answer(steps, "PREPARED(" + statementId + ")");
    }

    private static ScriptedReply done(Reply.Kind kind, int status) {
        ScriptedReply r = new ScriptedReply();
        r.state = Reply.State.DONE;
        r.kind = kind;
        r.serverStatus = status;
        return r;
    }

    @Override
    public String toString() {
        return description;
    }
}
