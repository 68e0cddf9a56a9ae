package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@MariaDbCluster(replicas = 2)
class ProtocolBasicsIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        String cnf = SluiceFixture.baseConfig(topology, "", false)
                + "[Primary]\ntype=service\nrouter=readconnroute\nrouter_options=running\nservers=db1\n"
                + "user=maxuser\npassword=maxpwd\n\n"
                + "[Primary-Listener]\ntype=listener\nservice=Primary\nport=0\naddress=127.0.0.1\n";
        sluice = SluiceFixture.start(topology, cnf);
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    @Test
    void textQueryRoundTrip() throws Exception {
        try (Connection c = sluice.app("Primary-Listener"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS basics (id INT PRIMARY KEY, v VARCHAR(20))");
            st.execute("DELETE FROM basics");
            st.execute("INSERT INTO basics VALUES (1, 'one'), (2, 'two')");
            try (ResultSet rs = st.executeQuery("SELECT v FROM basics ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("one");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("two");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void serverSidePreparedStatements() throws Exception {
        try (Connection c = sluice.connect("Primary-Listener", "app", "apppwd", "test", "useServerPrepStmts=true");
             PreparedStatement ps = c.prepareStatement("SELECT ? + 1, CONCAT('x', ?)")) {
            for (int i = 0; i < 5; i++) {
                ps.setInt(1, i);
                ps.setString(2, "y" + i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(i + 1);
                    assertThat(rs.getString(2)).isEqualTo("xy" + i);
                }
            }
        }
    }

    @Test
    void wrongPasswordIsRejectedLikeTheServer() {
        assertThatThrownBy(() -> sluice.connect("Primary-Listener", "app", "nope", "test", "").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getSQLState()).isEqualTo("28000");
                    assertThat(e.getMessage()).contains("Access denied for user 'app'@'127.0.0.1' (using password: YES)");
                });
    }

    @Test
    void unknownDatabaseIsRejectedWithTheServersWording() {
        assertThatThrownBy(() -> sluice.connect("Primary-Listener", "maxuser", "maxpwd", "nosuchdb", "").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1049);
                    assertThat(e.getMessage()).contains("Unknown database 'nosuchdb'");
                });
        assertThatThrownBy(() -> sluice.connect("Primary-Listener", "app", "apppwd", "nosuchdb", "").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1044);
                    assertThat(e.getMessage()).contains("Access denied for user 'app'@'%' to database 'nosuchdb'");
                });
    }
}
