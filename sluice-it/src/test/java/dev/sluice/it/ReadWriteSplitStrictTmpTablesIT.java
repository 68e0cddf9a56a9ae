package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * readwritesplit {@code strict_tmp_tables}: a session that created temporary tables stays on the primary that has
 * them when the monitor moves the primary role (a real mariadbmon switchover): its next write fails there
 * (read-only now) instead of running on a new primary without the tables; with {@code strict_tmp_tables=false}
 * the session moves (master_reconnection) and its temporary table is gone.
 */
class ReadWriteSplitStrictTmpTablesIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        topology = MariaDbTopology.builder().replicas(1).namePrefix("rwtmp").start();
        String service = "type=service\nrouter=readwritesplit\ncluster=Cluster\nuser=maxuser\npassword=maxpwd\n";
        sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "", true)
                + "[Strict]\n" + service + "strict_tmp_tables=true\n\n"
                + "[Loose]\n" + service + "strict_tmp_tables=false\n\n"
                + "[Strict-L]\ntype=listener\nservice=Strict\nport=0\naddress=127.0.0.1\n\n"
                + "[Loose-L]\ntype=listener\nservice=Loose\nport=0\naddress=127.0.0.1\n");
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE test.tmp_plain (id INT PRIMARY KEY, port INT)");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void aSessionWithTemporaryTablesDoesNotMoveToANewPrimary() throws Exception {
        int oldPrimary = topology.primary().port();
        int newPrimary = topology.replicas().get(0).port();
        try (Connection strict = sluice.app("Strict-L"); Statement s = strict.createStatement();
             Connection loose = sluice.app("Loose-L"); Statement l = loose.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE strict_tmp (id INT)");
            s.executeUpdate("INSERT INTO strict_tmp VALUES (1)");
            l.execute("CREATE TEMPORARY TABLE loose_tmp (id INT)");
            l.executeUpdate("INSERT INTO loose_tmp VALUES (1)");

            CommandResult result = sluice.server.monitors().get("Cluster").monitor()
                    .command("switchover", List.of("db2", "db1"));
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(30),
                    () -> sluice.server.server("db2").status().isMaster())).isTrue();

            // strict: still on the old primary, which has the table but is read-only now
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO test.tmp_plain VALUES (1, @@port)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
            try (var rs = s.executeQuery("SELECT COUNT(*), @@port FROM strict_tmp")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getInt(2)).isEqualTo(oldPrimary);
            }
            // loose: the write runs on the new primary, where the temporary table does not exist
            l.executeUpdate("INSERT INTO test.tmp_plain VALUES (2, @@port)");
            try (var rs = l.executeQuery("SELECT port FROM test.tmp_plain WHERE id = 2 FOR UPDATE")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(newPrimary);
            }
            assertThatThrownBy(() -> l.executeQuery("SELECT COUNT(*) FROM loose_tmp"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("loose_tmp");
        }
    }
}
