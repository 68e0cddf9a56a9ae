package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backend connections kept in the worker pools ({@code persistpoolmax}) are reset before another session
 * uses them: the next session sees its own user, its own default database and none of the previous
 * session's variables, temporary tables or open transaction.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class PooledBackendsIT {
    static final String LISTENER = "Pool-Listener";
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        // two workers, each with its own pool: several rounds make sure sessions land where a pooled
        // connection waits
        sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "persistpoolmax=20\npersistmaxtime=60s", false)
                + SluiceFixture.service("Pool", "running", "db1", LISTENER, ""));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"MARIADB_SERVER_PREPARED", "MYSQL_TEXT"})
    void aPooledConnectionCarriesNoStateIntoTheNextSession(Client client) throws Exception {
        long reusesBefore = sluice.server.server("db1").pooledReuses.sum();
        for (int round = 0; round < 6; round++) {
            String user = round % 2 == 0 ? "app" : "maxuser";
            String password = round % 2 == 0 ? "apppwd" : "maxpwd";
            String database = round % 3 == 0 ? "test" : "sbtest";
            try (Connection c = client.connect(sluice.port(LISTENER), user, password, database, "");
                 Statement st = c.createStatement()) {
                assertThat(CommandsIT.scalar(c, "SELECT CURRENT_USER()")).isEqualTo(user + "@%");
                assertThat(CommandsIT.scalar(c, "SELECT DATABASE()")).isEqualTo(database);
                assertThat(CommandsIT.scalar(c, "SELECT @leftover")).isNull();
                if (user.equals("app")) { // maxuser may not create tables in test or sbtest
                    assertThatThrownBy(() -> st.executeQuery("SELECT * FROM leftover")).isInstanceOfSatisfying(
                            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
                    st.execute("CREATE TEMPORARY TABLE leftover (x INT)");
                }
                assertThat(CommandsIT.scalar(c, "SELECT @@SESSION.sql_mode")).doesNotContain("ANSI_QUOTES");
                st.execute("SET @leftover = 'round " + round + "'");
                st.execute("SET SESSION sql_mode = 'ANSI_QUOTES'");
            }
            // let the closed session's backend reach the pool
            Thread.sleep(100);
        }
        assertThat(sluice.server.server("db1").pooledReuses.sum() - reusesBefore).isGreaterThanOrEqualTo(3);
    }
}
