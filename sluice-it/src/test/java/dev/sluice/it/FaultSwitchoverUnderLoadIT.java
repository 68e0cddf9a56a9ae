package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test 2 of the HA issue: {@code switchover} while sysbench {@code oltp_read_write} runs through
 * readwritesplit. sysbench stops a thread at its first error, so a clean exit with "ignored errors: 0" and
 * "reconnects: 0" means no client saw an error. Afterwards the old primary replicates from the new one; then
 * the roles are switched back, under load again.
 *
 * <p>The topology is private to this class. Not in the default run yet (see sluice-it/pom.xml): some clients
 * still get "transaction replay failed: checksum mismatch" — the open transactions cut by read_only are
 * replayed on the new primary after other transactions changed rows they had read.
 */
class FaultSwitchoverUnderLoadIT {
    private static final int LOAD_SECONDS = 14;

    private static MariaDbTopology topology;
    private static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        topology = MariaDbTopology.builder().replicas(2).namePrefix("f2").start();
        String config = SluiceFixture.readWriteSplit(topology, "transaction_replay=true\n")
                .replace("monitor_interval=200ms", "monitor_interval=1000ms\nauto_failover=false\nauto_rejoin=true"
                        + "\nreplication_user=" + MariaDbTopology.REPLICATION_USER
                        + "\nreplication_password=" + MariaDbTopology.REPLICATION_PASSWORD);
        sluice = SluiceFixture.start(topology, config);
        MariaDbNode p = topology.primary();
        sysbench(p.port(), "prepare", 0);
        topology.waitForReplication(Duration.ofSeconds(60));
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
    void switchoverAndBackUnderLoadWithoutAClientError() throws Exception {
        MariaDbNode first = topology.primary();
        MariaDbNode second = topology.replicas().get(0);
        switchUnderLoad("db2", "db1", second, first);
        switchUnderLoad("db1", "db2", first, second);
    }

    private void switchUnderLoad(String newName, String oldName, MariaDbNode newPrimary, MariaDbNode oldPrimary)
            throws Exception {
        int port = sluice.port("RW-Listener");
        CompletableFuture<String> load = CompletableFuture.supplyAsync(() -> {
            try {
                return sysbench(port, "run", LOAD_SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(LOAD_SECONDS * 1000L / 3);
        long started = System.nanoTime();
        CommandResult result = sluice.server.monitors().get("Cluster").monitor()
                .command("switchover", List.of(newName, oldName));
        double took = (System.nanoTime() - started) / 1e9;
        System.out.printf("FaultSwitchoverUnderLoadIT: switchover %s -> %s took %.2f s: %s%n", oldName, newName,
                took, result.message());
        String output = load.get(LOAD_SECONDS + 120, TimeUnit.SECONDS);

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(took).as("switchover seconds").isLessThan(10);
        assertThat(output).as(output).contains("transactions:");
        assertThat(counter(output, "ignored errors")).as(output).isZero();
        assertThat(counter(output, "reconnects")).as(output).isZero();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(30), () -> SluiceFixture.replicatesFrom(oldPrimary, newPrimary)))
                .as("%s replicates from %s", oldPrimary.name(), newPrimary.name()).isTrue();
    }

    private static long counter(String sysbenchOutput, String name) {
        Matcher m = Pattern.compile(name + ":\\s+(\\d+)").matcher(sysbenchOutput);
        assertThat(m.find()).as("'%s' in sysbench output:%n%s", name, sysbenchOutput).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Runs sysbench oltp_read_write against 127.0.0.1:port; returns its output, fails on a non-zero exit. */
    private static String sysbench(int port, String command, int seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("sysbench", "oltp_read_write", "--db-driver=mysql",
                "--mysql-host=127.0.0.1", "--mysql-port=" + port, "--mysql-user=" + MariaDbTopology.APP_USER,
                "--mysql-password=" + MariaDbTopology.APP_PASSWORD, "--mysql-db=test", "--tables=2",
                "--table-size=2000", "--threads=4", "--mysql-ssl=off"));
        if (seconds > 0) {
            cmd.add("--time=" + seconds);
        }
        cmd.add(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("sysbench did not finish");
            }
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as("sysbench %s exit code; output:%n%s", command, out).isZero();
        return out;
    }

}
