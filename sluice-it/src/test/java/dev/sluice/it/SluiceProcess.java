package dev.sluice.it;

import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/sluice --config FILE} as a real child process (the test's class path, the CLI's main class), for what
 * only a whole process shows: signals, the log file, restarts. Stopped with SIGTERM through its own handle, killed
 * when it does not stop in time.
 */
final class SluiceProcess implements AutoCloseable {
    final Process process;
    final int adminPort;
    final Path output;

    private SluiceProcess(Process process, int adminPort, Path output) {
        this.process = process;
        this.adminPort = adminPort;
        this.output = output;
    }

    /** The [maxscale] lines plus db1..dbN, their monitor and a readconnroute service RW with listener RW-L. */
    static String config(MariaDbTopology topology, int adminPort, int listenerPort, String globalLines,
                         String serviceLines) {
        StringBuilder sb = new StringBuilder("[maxscale]\nthreads=1\nusers_refresh_time=0s\nskip_name_resolve=true\n"
                + "admin_port=" + adminPort + "\n" + globalLines + "\n");
        List<String> names = new ArrayList<>();
        int i = 1;
        for (MariaDbNode n : topology.nodes()) {
            String name = "db" + i++;
            names.add(name);
            sb.append('[').append(name).append("]\ntype=server\naddress=127.0.0.1\nport=").append(n.port())
                    .append("\n\n");
        }
        sb.append("[Cluster]\ntype=monitor\nmodule=mariadbmon\nservers=").append(String.join(",", names))
                .append("\nuser=maxuser\npassword=maxpwd\nmonitor_interval=500ms\n\n")
                .append("[RW]\ntype=service\nrouter=readconnroute\nrouter_options=master\ncluster=Cluster\n")
                .append("user=maxuser\npassword=maxpwd\n").append(serviceLines).append("\n\n")
                .append("[RW-L]\ntype=listener\nservice=RW\naddress=127.0.0.1\nport=").append(listenerPort)
                .append('\n');
        return sb.toString();
    }

    /** Starts {@code sluice --config cnf} and waits (bounded) until its admin API answers. */
    static SluiceProcess start(Path cnf, int adminPort, String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sluice.cli.SluiceCommand",
                "--config", cnf.toString(), "--grace", "5"));
        Path output = Files.createTempFile(cnf.getParent(), "sluice-process", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        SluiceProcess sp = new SluiceProcess(p, adminPort, output);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("sluice exited with " + p.exitValue() + ": " + Files.readString(output));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                        + "/v1/maxscale")).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 401 || r.statusCode() == 200) {
                    return sp;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        sp.close();
        throw new IllegalStateException("sluice's admin API did not answer within 60 s: " + Files.readString(output));
    }

    /** Sends a signal (USR1, TERM) to the process by its pid. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: a graceful stop
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
