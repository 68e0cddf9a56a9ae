package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event names and script substitutions of {@link MonitorScript}, and the {@link Journal}. Pure. */
class MonitorScriptTest {

    static ServerStatus status(StatusBit... bits) {
        long mask = 0;
        for (StatusBit b : bits) {
            mask |= b.mask();
        }
        return new ServerStatus(mask, -1, 1, false, "", "", "", "");
    }

    static final ServerStatus DOWN = status();
    static final ServerStatus RUNNING = status(StatusBit.RUNNING);
    static final ServerStatus MASTER = status(StatusBit.RUNNING, StatusBit.MASTER);
    static final ServerStatus SLAVE = status(StatusBit.RUNNING, StatusBit.SLAVE);

    @Test
    void stateChangesAreNamedAsMaxScaleNamesThem() {
        assertThat(MonitorScript.event(MASTER, DOWN)).contains("master_down");
        assertThat(MonitorScript.event(SLAVE, DOWN)).contains("slave_down");
        assertThat(MonitorScript.event(RUNNING, DOWN)).contains("server_down");
        assertThat(MonitorScript.event(DOWN, MASTER)).contains("master_up");
        assertThat(MonitorScript.event(DOWN, SLAVE)).contains("slave_up");
        assertThat(MonitorScript.event(DOWN, RUNNING)).contains("server_up");
        assertThat(MonitorScript.event(SLAVE, MASTER)).contains("new_master");
        assertThat(MonitorScript.event(RUNNING, SLAVE)).contains("new_slave");
        assertThat(MonitorScript.event(MASTER, RUNNING)).contains("lost_master");
        assertThat(MonitorScript.event(SLAVE, RUNNING)).contains("lost_slave");
        assertThat(MonitorScript.event(SLAVE, SLAVE)).isEmpty();
        assertThat(MonitorScript.event(DOWN, DOWN)).isEmpty();
    }

    @Test
    void replicationLagCrossingTheLimitIsAnEventEachWay() {
        assertThat(MonitorScript.lagEvent(null, 0, 5)).hasValue("rlag_below"); // first known lag decides
        assertThat(MonitorScript.lagEvent(false, 5, 5)).isEmpty(); // at the limit is not above it
        assertThat(MonitorScript.lagEvent(false, 6, 5)).hasValue("rlag_above");
        assertThat(MonitorScript.lagEvent(true, 9, 5)).isEmpty();
        assertThat(MonitorScript.lagEvent(true, -1, 5)).as("unknown lag").isEmpty();
        assertThat(MonitorScript.lagEvent(true, 2, 5)).hasValue("rlag_below");
        assertThat(MonitorScript.lagEvent(null, 100, -1)).as("off").isEmpty();
    }

    @Test
    void substitutionsFollowMaxScale() {
        List<Server> servers = List.of(new FakeMonitorContext.FakeServer("a", "10.0.0.1", 3306),
                new FakeMonitorContext.FakeServer("b", "10.0.0.2", 3307),
                new FakeMonitorContext.FakeServer("c", "10.0.0.3", 3308));
        List<ServerStatus> statuses = List.of(MASTER, SLAVE, DOWN);
        MonitorScript script = new MonitorScript("m", ParamValues.of(Map.of("script",
                "/bin/notify --event=$EVENT $INITIATOR $LIST $NODELIST $MASTERLIST $SLAVELIST $PARENT $CHILDREN"
                        + " $CREDENTIALS")), "u:p");
        assertThat(script.argv("slave_down", 1, servers, statuses, 0)).containsExactly("/bin/notify",
                "--event=slave_down", "[10.0.0.2]:3307", "[10.0.0.1]:3306,[10.0.0.2]:3307,[10.0.0.3]:3308",
                "[10.0.0.1]:3306,[10.0.0.2]:3307", "[10.0.0.1]:3306", "[10.0.0.2]:3307", "[10.0.0.1]:3306", "",
                "u:p");
        assertThat(script.argv("master_up", 0, servers, statuses, 0).get(8)).isEqualTo("[10.0.0.2]:3307");
        assertThat(new MonitorScript("m", ParamValues.empty(), "").enabled()).isFalse();
    }

    @Test
    void theJournalRemembersThePrimaryAndIgnoresAnOldOne(@TempDir Path dir) throws Exception {
        Journal journal = new Journal(dir, ParamValues.empty());
        assertThat(journal.readPrimary()).isEmpty();
        journal.writePrimary("db2");
        assertThat(new Journal(dir, ParamValues.empty()).readPrimary()).isEqualTo("db2");
        Files.setLastModifiedTime(dir.resolve(Journal.FILE_NAME), FileTime.from(Instant.now().minusSeconds(7200)));
        assertThat(new Journal(dir, ParamValues.of(Map.of("journal_max_age", Duration.ofHours(1)))).readPrimary())
                .isEmpty();
        assertThat(new Journal(dir, ParamValues.empty()).readPrimary()).isEqualTo("db2");
    }
}
