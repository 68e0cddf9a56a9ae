package dev.sluice.protocol;

import dev.sluice.api.reply.Reply;
import static dev.sluice.protocol.PacketsForTests.columnCount;
import static dev.sluice.protocol.PacketsForTests.columnDefinition;
import static dev.sluice.protocol.PacketsForTests.eof;
import static dev.sluice.protocol.PacketsForTests.err;
import static dev.sluice.protocol.PacketsForTests.ok;
import static dev.sluice.protocol.PacketsForTests.okEof;
import static dev.sluice.protocol.PacketsForTests.packet;
import static dev.sluice.protocol.PacketsForTests.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class ReplyTrackerTest {
    private static final int AUTOCOMMIT = ServerStatusFlag.AUTOCOMMIT;
    private static final int MORE = ServerStatusFlag.MORE_RESULTS_EXISTS;

    /** Feeds the packets (releasing them) and returns, per packet, whether it completed the reply. */
    private static List<Boolean> feed(ReplyTracker tracker, ByteBuf... packets) {
        List<Boolean> out = new ArrayList<>();
        for (ByteBuf p : packets) {
            try {
                out.add(tracker.onPacket(p));
            } finally {
                p.release();
            }
        }
        return out;
    }

    @Test
    void okCompletesAQueryAndCarriesItsStatusFlags() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_QUERY);
        assertThat(t.isBusy()).isTrue();
        assertThat(feed(t, ok(AUTOCOMMIT | ServerStatusFlag.IN_TRANS))).containsExactly(true);
        assertThat(t.kind()).isEqualTo(Reply.Kind.OK);
        assertThat(t.inTransaction()).isTrue();
        assertThat(t.isBusy()).isFalse();
    }

    @Test
    void aBinlogDumpStreamsEventsUntilAnErrOrEof() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_BINLOG_DUMP);
        // refused (no REPLICATION SLAVE privilege): the ERR is the whole reply, not an endless stream
        assertThat(feed(t, err(1227))).containsExactly(true);
        assertThat(t.isBusy()).isFalse();
        t.commandSent(Command.COM_BINLOG_DUMP_GTID);
        assertThat(feed(t, row("\0event"), row("\0event"), eof(AUTOCOMMIT))).containsExactly(false, false, true);
        assertThat(t.isBusy()).isFalse();
    }

    @Test
    void errCompletesAQueryWithItsCode() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_QUERY);
        assertThat(feed(t, err(1146))).containsExactly(true);
        assertThat(t.kind()).isEqualTo(Reply.Kind.ERROR);
        assertThat(t.errorCode()).isEqualTo(1146);
    }

    @Test
    void resultSetWithClassicEofsEndsAtTheSecondEof() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_QUERY);
        assertThat(feed(t, columnCount(2), columnDefinition(), columnDefinition(), eof(AUTOCOMMIT), row("a"),
                row("b"), eof(AUTOCOMMIT)))
                .containsExactly(false, false, false, false, false, false, true);
        assertThat(t.kind()).isEqualTo(Reply.Kind.RESULT_SET);
    }

    @Test
    void resultSetWithDeprecateEofEndsAtTheOkWithTheEofHeader() {
        ReplyTracker t = new ReplyTracker(true);
        t.commandSent(Command.COM_QUERY);
        assertThat(feed(t, columnCount(1), columnDefinition(), row("a"), okEof(AUTOCOMMIT | ServerStatusFlag.IN_TRANS)))
                .containsExactly(false, false, false, true);
        assertThat(t.inTransaction()).isTrue();
    }

    @Test
    void multiStatementRepliesEndWithTheResultThatHasNoMoreResultsFlag() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_QUERY);
        assertThat(feed(t, columnCount(1), columnDefinition(), eof(MORE), row("1"), eof(AUTOCOMMIT | MORE),
                ok(AUTOCOMMIT | MORE), columnCount(1), columnDefinition(), eof(AUTOCOMMIT), eof(AUTOCOMMIT)))
                .containsExactly(false, false, false, false, false, false, false, false, false, true);
    }

    @Test
    void anErrorEndsAMultiStatementReplyEvenAfterMoreResultsWereAnnounced() {
        ReplyTracker t = new ReplyTracker(true);
        t.commandSent(Command.COM_QUERY);
        assertThat(feed(t, ok(AUTOCOMMIT | MORE), err(1064))).containsExactly(false, true);
        assertThat(t.isBusy()).isFalse();
    }

    @Test
    void prepareReplyCountsParametersAndColumnsWithEofs() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_STMT_PREPARE);
        // OK: statement id 7, 1 column, 2 parameters
        ByteBuf prepareOk = packet(1, 0, 7, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0);
        assertThat(feed(t, prepareOk, columnDefinition(), columnDefinition(), eof(AUTOCOMMIT), columnDefinition(),
                eof(AUTOCOMMIT))).containsExactly(false, false, false, false, false, true);
        assertThat(t.preparedStatementId()).isEqualTo(7);
    }

    @Test
    void prepareReplyWithDeprecateEofEndsAtTheLastDefinition() {
        ReplyTracker t = new ReplyTracker(true);
        t.commandSent(Command.COM_STMT_PREPARE);
        assertThat(feed(t, packet(1, 0, 8, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0), columnDefinition(), columnDefinition()))
                .containsExactly(false, false, true);
        t.commandSent(Command.COM_STMT_PREPARE);
        assertThat(feed(t, packet(1, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))).containsExactly(true);
    }

    @Test
    void executeThatOpensACursorEndsAfterTheColumnDefinitionsEof() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_STMT_EXECUTE);
        assertThat(feed(t, columnCount(1), columnDefinition(), eof(AUTOCOMMIT | ServerStatusFlag.CURSOR_EXISTS)))
                .containsExactly(false, false, true);
        assertThat(t.isBusy()).isFalse();
        t.commandSent(Command.COM_STMT_FETCH);
        assertThat(feed(t, packet(3, 0, 0, 1), eof(AUTOCOMMIT | ServerStatusFlag.LAST_ROW_SENT)))
                .containsExactly(false, true);
    }

    @Test
    void executeThatOpensACursorWithDeprecateEofEndsAfterTheColumnDefinitions() {
        ReplyTracker t = new ReplyTracker(true);
        t.commandSent(Command.COM_STMT_EXECUTE);
        assertThat(feed(t, columnCount(1), columnDefinition(), okEof(AUTOCOMMIT | ServerStatusFlag.CURSOR_EXISTS)))
                .containsExactly(false, false, true);
    }

    @Test
    void localInfileWaitsForTheUploadThenTheServersAnswer() {
        ReplyTracker t = new ReplyTracker(true);
        t.commandSent(Command.COM_QUERY);
        ByteBuf request = packet(1, 0xfb, '/', 't', 'm', 'p');
        assertThat(feed(t, request)).containsExactly(false);
        assertThat(t.isLocalInfileUpload()).isTrue();
        t.uploadFinished();
        assertThat(t.isLocalInfileUpload()).isFalse();
        assertThat(feed(t, ok(AUTOCOMMIT))).containsExactly(true);
    }

    @Test
    void aRowOf16MiBStartingWith0xFeIsNotATerminator() {
        ReplyTracker t = new ReplyTracker(true);
        t.commandSent(Command.COM_QUERY);
        ByteBuf fullRow = Unpooled.buffer(4 + Packets.MAX_PAYLOAD);
        fullRow.writeMediumLE(Packets.MAX_PAYLOAD).writeByte(3).writeByte(0xfe).writeZero(Packets.MAX_PAYLOAD - 1);
        ByteBuf rest = packet(4, 0xfe, 1, 2, 3); // continuation: a short packet starting with 0xFE as well
        assertThat(feed(t, columnCount(1), columnDefinition(), fullRow, rest, okEof(AUTOCOMMIT)))
                .containsExactly(false, false, false, false, true);
    }

    @Test
    void fieldListEndsAtItsEofAndStatisticsAtItsOnlyPacket() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_FIELD_LIST);
        assertThat(feed(t, columnDefinition(), columnDefinition(), eof(AUTOCOMMIT))).containsExactly(false, false, true);
        t.commandSent(Command.COM_STATISTICS);
        assertThat(feed(t, packet(1, 'U', 'p'))).containsExactly(true);
    }

    @Test
    void commandsWithoutReplyLeaveTheTrackerIdle() {
        ReplyTracker t = new ReplyTracker(false);
        for (int command : new int[] {Command.COM_STMT_CLOSE, Command.COM_STMT_SEND_LONG_DATA, Command.COM_QUIT}) {
            t.commandSent(command);
            assertThat(t.isBusy()).as("after 0x%x", command).isFalse();
        }
    }

    @Test
    void pipelinedPrepareAndExecuteAreAnsweredInOrderAndTheConnectionStaysBusyUntilTheLast() {
        ReplyTracker t = new ReplyTracker(true);
        t.commandSent(Command.COM_STMT_PREPARE);
        t.commandSent(Command.COM_STMT_EXECUTE); // MariaDB Connector/J: sent before the prepare reply
        assertThat(feed(t, packet(1, 0, 7, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0), columnDefinition()))
                .containsExactly(false, true);
        assertThat(t.preparedStatementId()).isEqualTo(7);
        assertThat(t.kind()).isEqualTo(Reply.Kind.OK);
        assertThat(t.isBusy()).as("the execute reply is still to come").isTrue();
        assertThat(feed(t, columnCount(1), columnDefinition(), row("x"), okEof(AUTOCOMMIT)))
                .containsExactly(false, false, false, true);
        assertThat(t.command()).isEqualTo(Command.COM_STMT_EXECUTE);
        assertThat(t.kind()).isEqualTo(Reply.Kind.RESULT_SET);
        assertThat(t.isBusy()).isFalse();
    }

    @Test
    void pipelinedQueriesEachCompleteAndTheLastStatusWins() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_QUERY);
        t.commandSent(Command.COM_STMT_CLOSE); // no reply: nothing to wait for
        t.commandSent(Command.COM_QUERY);
        t.commandSent(Command.COM_QUERY);
        assertThat(feed(t, ok(AUTOCOMMIT), err(1062), ok(AUTOCOMMIT | ServerStatusFlag.IN_TRANS)))
                .containsExactly(true, true, true);
        assertThat(t.isBusy()).isFalse();
        assertThat(t.inTransaction()).isTrue();
    }

    /** Feeds the packets (releasing them) and returns, per packet, whether the tracker framed it as an OK packet. */
    private static List<Boolean> okPackets(ReplyTracker tracker, ByteBuf... packets) {
        List<Boolean> out = new ArrayList<>();
        for (ByteBuf p : packets) {
            try {
                tracker.onPacket(p);
                out.add(tracker.lastPacketWasOk());
            } finally {
                p.release();
            }
        }
        return out;
    }

    @Test
    void okPacketsAreToldApartFromBinaryRowsAndEofs() {
        ReplyTracker t = new ReplyTracker(true);
        t.commandSent(Command.COM_STMT_EXECUTE);
        // a binary row starts with 0x00 like an OK: it is not one
        assertThat(okPackets(t, columnCount(1), columnDefinition(), packet(1, 0x00, 0x00, 0x01, 'a'),
                okEof(AUTOCOMMIT))).containsExactly(false, false, false, true);
        t.commandSent(Command.COM_QUERY);
        assertThat(okPackets(t, ok(AUTOCOMMIT | MORE), columnCount(1), columnDefinition(), row("1"),
                okEof(AUTOCOMMIT | MORE), ok(AUTOCOMMIT))).containsExactly(true, false, false, false, true, true);
        t.commandSent(Command.COM_QUERY);
        assertThat(okPackets(t, packet(1, 0xfb, '/', 't'))).containsExactly(false);
        t.uploadFinished();
        assertThat(okPackets(t, ok(AUTOCOMMIT))).as("the OK after LOAD DATA LOCAL INFILE").containsExactly(true);
        t.commandSent(Command.COM_STMT_PREPARE);
        assertThat(okPackets(t, packet(1, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0))).containsExactly(false);

        ReplyTracker classic = new ReplyTracker(false);
        classic.commandSent(Command.COM_QUERY);
        assertThat(okPackets(classic, columnCount(1), columnDefinition(), eof(AUTOCOMMIT), row("1"), eof(AUTOCOMMIT)))
                .containsExactly(false, false, false, false, false);
        classic.commandSent(Command.COM_QUERY);
        assertThat(okPackets(classic, err(1064))).containsExactly(false);
    }

    // ---- the Reply it hands up

    @Test
    void anOkIsReadOnceIntoTheReply() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_QUERY);
        assertThat(t.state()).isEqualTo(Reply.State.START);
        // affected rows 3, insert id 300 (0xfc 2-byte), status AUTOCOMMIT, 2 warnings
        feed(t, packet(1, 0x00, 3, 0xfc, 0x2c, 0x01, AUTOCOMMIT, 0, 2, 0));
        assertThat(t.isComplete()).isTrue();
        assertThat(t.state()).isEqualTo(Reply.State.DONE);
        assertThat(t.isOk()).isTrue();
        assertThat(t.packetIsOk()).isTrue();
        assertThat(t.affectedRows()).isEqualTo(3);
        assertThat(t.lastInsertId()).isEqualTo(300);
        assertThat(t.warnings()).isEqualTo(2);
        assertThat(t.serverStatus()).isEqualTo(AUTOCOMMIT);
        assertThat(t.error()).isNull();
    }

    @Test
    void anErrCarriesCodeSqlStateAndMessage() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_QUERY);
        feed(t, packet(1, "\u00ff\u0087\u0007#HY000Connection was killed".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertThat(t.isError()).isTrue();
        assertThat(t.error().code()).isEqualTo(1927);
        assertThat(t.error().sqlState()).isEqualTo("HY000");
        assertThat(t.error().message()).isEqualTo("Connection was killed");
        assertThat(t.error().isUnexpected()).isTrue();
        // the next reply starts clean
        t.commandSent(Command.COM_PING);
        feed(t, ok(AUTOCOMMIT));
        assertThat(t.error()).isNull();
        assertThat(t.isOk()).isTrue();
    }

    @Test
    void rowsAreCountedOverEveryResultOfAMultiResultReply() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_QUERY);
        feed(t, columnCount(1), columnDefinition(), eof(AUTOCOMMIT), row("a"), row("b"));
        assertThat(t.state()).isEqualTo(Reply.State.ROWS);
        assertThat(t.fieldCount()).isEqualTo(1);
        assertThat(t.isComplete()).isFalse();
        feed(t, eof(AUTOCOMMIT | MORE), columnCount(2), columnDefinition());
        assertThat(t.state()).isEqualTo(Reply.State.COLUMN_DEFINITIONS);
        assertThat(t.fieldCount()).isEqualTo(2);
        feed(t, columnDefinition(), eof(AUTOCOMMIT), row("c"), eof(AUTOCOMMIT | MORE), ok(AUTOCOMMIT));
        assertThat(t.isComplete()).isTrue();
        assertThat(t.rowCount()).isEqualTo(3);
        assertThat(t.isOk()).isTrue();
    }

    @Test
    void aPrepareReplyGivesTheStatementIdAndParameterCount() {
        ReplyTracker t = new ReplyTracker(true);
        t.commandSent(Command.COM_STMT_PREPARE);
        feed(t, packet(1, 0, 9, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0));
        assertThat(t.state()).isEqualTo(Reply.State.PREPARE);
        assertThat(t.packetIsOk()).isFalse();
        feed(t, columnDefinition(), columnDefinition(), columnDefinition());
        assertThat(t.isComplete()).isTrue();
        assertThat(t.generatedId()).isEqualTo(9);
        assertThat(t.paramCount()).isEqualTo(2);
        assertThat(t.fieldCount()).isEqualTo(1);
    }

    @Test
    void theGtidOfAnIntermediateOkIsKeptAndTheFinalOkGivesTheSessionChanges() {
        ReplyTracker t = new ReplyTracker(true, true);
        t.commandSent(Command.COM_QUERY);
        int changed = ServerStatusFlag.SESSION_STATE_CHANGED;
        // OK (more results) with last_gtid = 0-1-5, then a final OK with the transaction state "T_______"
        feed(t, packet(1, bytes("00 01 00 0a 40 00 00 00 12 00 10 09 6c 61 73 74 5f 67 74 69 64 05 30 2d 31 2d 35"
                .replace("0a 40", String.format("%02x %02x", (AUTOCOMMIT | MORE | changed) & 0xff, (AUTOCOMMIT | MORE | changed) >> 8)))));
        assertThat(t.isComplete()).isFalse();
        assertThat(t.packetIsOk()).isTrue();
        assertThat(t.lastGtid()).isEqualTo("0-1-5");
        feed(t, packet(1, bytes("00 00 00 03 40 00 00 00 0b 05 09 08 54 5f 5f 5f 5f 5f 5f 5f")));
        assertThat(t.isComplete()).isTrue();
        assertThat(t.lastGtid()).isEqualTo("0-1-5");
        assertThat(t.sessionChanges().transactionOpen()).isTrue();
        assertThat(t.sessionChanges().variable("last_gtid")).isNull();
    }

    @Test
    void aLocalInfileRequestIsReported() {
        ReplyTracker t = new ReplyTracker(false);
        t.commandSent(Command.COM_QUERY);
        feed(t, packet(1, 0xfb, 'f'));
        assertThat(t.localInfileRequested()).isTrue();
        assertThat(t.state()).isEqualTo(Reply.State.LOAD_DATA);
        t.uploadFinished();
        feed(t, ok(AUTOCOMMIT));
        assertThat(t.isComplete()).isTrue();
        assertThat(t.localInfileRequested()).isTrue();
    }

    private static byte[] bytes(String hex) {
        return io.netty.buffer.ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }
}
