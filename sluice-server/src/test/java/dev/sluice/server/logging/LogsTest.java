package dev.sluice.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.config.ParamValues;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log outputs of {@link Logs} on the process's real logback: the file in logdir, the text and JSON formats,
 * ms_timestamp, log_augmentation, log_throttling, the levels, and rotation while another thread writes.
 */
class LogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger("dev.sluice.test.LogsTest");

    @TempDir
    Path dir;

    private final Level before = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.sluice")
            .getLevel();

    private static ParamValues global(String lines) throws Exception {
        return ConfigLoader.parse("[maxscale]\n" + lines, "logs.cnf", ModuleRegistry.of(List.of())).global()
                .values();
    }

    @AfterEach
    void restore() throws Exception {
        Logs.apply(global("log_throttling=0\n"));
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.sluice").setLevel(before);
    }

    private Path logFile() {
        return dir.resolve(Logs.FILE_NAME);
    }

    @Test
    void jsonFormatWritesOneObjectPerLineWithPriorityModuleAndEscapedMessage() throws Exception {
        Logs.apply(global("logdir=" + dir + "\nlog_format=json\nlog_augmentation=1\n"));
        LOG.warn("a \"quoted\" line\nwith a break");
        LOG.info("a notice");
        List<String> lines = Files.readAllLines(logFile());
        assertThat(lines).hasSize(2);
        JsonNode w = JSON.readTree(lines.get(0));
        assertThat(w.get("priority").asText()).isEqualTo("warning");
        assertThat(w.get("module").asText()).isEqualTo("LogsTest");
        assertThat(w.get("message").asText()).startsWith("a \"quoted\" line\nwith a break")
                .endsWith("(LogsTest.jsonFormatWritesOneObjectPerLineWithPriorityModuleAndEscapedMessage)");
        assertThat(w.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(JSON.readTree(lines.get(1)).get("priority").asText()).isEqualTo("notice");
    }

    @Test
    void textFormatHasSecondsUnlessMsTimestamp() throws Exception {
        Logs.apply(global("logdir=" + dir + "\n"));
        LOG.warn("plain");
        Logs.apply(global("logdir=" + dir + "\nms_timestamp=true\n"));
        LOG.warn("with millis");
        List<String> lines = Files.readAllLines(logFile());
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d   warning: \\(LogsTest\\) plain");
        assertThat(lines.get(1))
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}   warning: \\(LogsTest\\) with millis");
    }

    @Test
    void levelsFollowTheLogSwitchesAndMaxlogOffStopsTheFile() throws Exception {
        Logs.apply(global("logdir=" + dir + "\nlog_notice=false\nlog_info=false\n"));
        LOG.info("hidden notice");
        LOG.warn("shown warning");
        Logs.apply(global("logdir=" + dir + "\nlog_debug=true\n"));
        LOG.debug("shown debug");
        Logs.apply(global("logdir=" + dir + "\nlog_warning=false\nlog_notice=false\n"));
        LOG.warn("hidden warning");
        LOG.error("shown error");
        Logs.apply(global("logdir=" + dir + "\nmaxlog=false\n"));
        assertThat(Logs.fileOpen()).isFalse();
        LOG.warn("not in the file");
        String text = Files.readString(logFile());
        assertThat(text).contains("shown warning", "shown debug", "shown error")
                .doesNotContain("hidden notice", "hidden warning", "not in the file");
    }

    @Test
    void aRepeatedWarningIsThrottledWithOneNote() throws Exception {
        Logs.apply(global("logdir=" + dir + "\nlog_throttling=3, 10s, 60s\n"));
        for (int i = 0; i < 10; i++) {
            LOG.warn("backend {} is down", "db1");
            LOG.info("notices are never throttled {}", i);
        }
        String text = Files.readString(logFile());
        assertThat(text.split("backend db1 is down", -1)).hasSize(3 + 1);
        assertThat(text).containsOnlyOnce("is suppressed for 60000 ms (log_throttling): backend {} is down");
        assertThat(text.split("notices are never throttled", -1)).hasSize(10 + 1);
    }

    @Test
    void rotationWhileAnotherThreadWritesLosesAndSplitsNoLine() throws Exception {
        Logs.apply(global("logdir=" + dir + "\nlog_format=json\nlog_throttling=0\n"));
        int total = 4_000;
        Thread writer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                LOG.warn("line {} {}", i, "x".repeat(100));
            }
        }, "log-writer");
        writer.start();
        int rotations = 0;
        while (writer.isAlive() && rotations < 20) {
            if (Files.exists(logFile())) {
                Files.move(logFile(), dir.resolve("sluice.log." + rotations));
                assertThat(Logs.rotate()).isTrue();
                rotations++;
            }
            Thread.sleep(2);
        }
        writer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(writer.isAlive()).isFalse();
        assertThat(rotations).as("rotations done while writing").isGreaterThan(1);
        Map<Integer, Integer> seen = new HashMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(files::add);
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                JsonNode n = JSON.readTree(line); // a torn line would not parse
                String m = n.get("message").asText();
                if (m.startsWith("line ")) {
                    seen.merge(Integer.parseInt(m.split(" ")[1]), 1, Integer::sum);
                }
            }
        }
        assertThat(seen).hasSize(total);
        assertThat(seen.values()).containsOnly(1);
    }

    @Test
    void syslogSendsEachLineAsADatagramUntilSwitchedOff() throws Exception {
        try (java.net.DatagramSocket receiver = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            receiver.setSoTimeout(5000);
            System.setProperty(Logs.SYSLOG_ADDRESS_PROPERTY, "127.0.0.1:" + receiver.getLocalPort());
            try {
                Logs.apply(global("syslog=true\nmaxlog=false\n"));
                LOG.warn("to syslog");
                java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[2048], 2048);
                receiver.receive(p);
                String datagram = new String(p.getData(), 0, p.getLength(), java.nio.charset.StandardCharsets.UTF_8);
                // <12>: facility user (1) * 8 + severity warning (4)
                assertThat(datagram).startsWith("<12>").contains("sluice[").endsWith("(LogsTest) to syslog");
                Logs.apply(global("syslog=false\n"));
                LOG.warn("not to syslog");
                receiver.setSoTimeout(300);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> receiver.receive(p))
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            } finally {
                System.clearProperty(Logs.SYSLOG_ADDRESS_PROPERTY);
            }
        }
    }

    @Test
    void rotateWithoutALogFileSaysSo() throws Exception {
        Logs.apply(global(""));
        assertThat(Logs.rotate()).isFalse();
    }
}
