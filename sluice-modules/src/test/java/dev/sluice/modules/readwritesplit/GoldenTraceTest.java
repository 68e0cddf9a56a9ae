package dev.sluice.modules.readwritesplit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamException;
import dev.sluice.api.config.ParamValues;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import dev.sluice.classifier.MariaDbQueryClassifier;
import dev.sluice.modules.hintfilter.HintFilter;
import dev.sluice.testkit.seam.FakeEndpoint;
import dev.sluice.testkit.seam.FakeRouterSessionContext;
import dev.sluice.testkit.seam.TestPackets;
import dev.sluice.testkit.seam.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden routing traces for readwritesplit (Vitess-style): each file under {@code src/test/resources/golden/
 * readwritesplit} is a client script, and after each step the requests each server got and what the client saw,
 * as recorded from the router's behaviour. The test replays the script through the seam's fakes and compares
 * the whole trace. A change of routing shows as a diff of these files; after a deliberate change, regenerate them
 * with {@code -Dgolden.update=true} and review the diff.
 *
 * <p>Script lines: {@code ! servers db1=master db2=slave …}, {@code ! param name=value} (before the first step),
 * {@code ! filter hintfilter} (a hintfilter in front of the router), {@code > SQL} (COM_QUERY), {@code >prepare SQL}, {@code >execute ID}, {@code >close ID}, {@code >ping},
 * {@code ! fail SERVER} (its connection dies), {@code ! status SERVER master|slave|down|maintenance}. Lines
 * starting with two spaces are the recorded trace; {@code #} starts a comment.
 */
class GoldenTraceTest {
    private static final Path DIR = Path.of("src/test/resources/golden/readwritesplit");

    @TestFactory
    Stream<DynamicTest> traces() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".trace")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        String actual = run(expected);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("trace of %s (regenerate with -Dgolden.update=true after a deliberate change)",
                file.getFileName()).isEqualTo(expected);
    }

    /** Replays the script part of {@code trace} and returns the script with a freshly recorded trace. */
    static String run(String trace) {
        Map<String, TestServer> servers = new LinkedHashMap<>();
        Map<String, Object> params = new HashMap<>();
        StringBuilder out = new StringBuilder();
        FakeRouterSessionContext ctx = null;
        boolean hintfilter = false;
        Map<FakeEndpoint, Integer> seen = new HashMap<>();
        for (String line : trace.split("\n", -1)) {
            if (line.startsWith("  ")) {
                continue; // the old recording
            }
            if (line.isEmpty() && out.length() > 0 && out.charAt(out.length() - 1) == '\n'
                    && out.length() >= 2 && out.charAt(out.length() - 2) == '\n') {
                continue;
            }
            out.append(line).append('\n');
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (line.startsWith("! servers ")) {
                for (String s : line.substring(10).trim().split("\\s+")) {
                    String[] kv = s.split("=");
                    servers.put(kv[0], new TestServer(kv[0], TestServer.with(kv[0], bits(kv[1])).status()));
                }
                continue;
            }
            if (line.equals("! filter hintfilter")) {
                hintfilter = true;
                continue;
            }
            if (line.startsWith("! param ")) {
                String[] kv = line.substring(8).trim().split("=", 2);
                Param<?> p = ReadWriteSplitConfig.SPEC.find(kv[0]).orElseThrow(
                        () -> new IllegalArgumentException("unknown parameter " + kv[0]));
                try {
                    params.put(p.name(), p.parse(kv[1]));
                } catch (ParamException e) {
                    throw new IllegalArgumentException(line + ": " + e.getMessage(), e);
                }
                continue;
            }
            if (ctx == null) {
                ctx = new FakeRouterSessionContext(List.copyOf(servers.values()),
                        MariaDbQueryClassifier.forWorker(1 << 20));
                ctx.start(new ReadWriteSplit(ReadWriteSplitConfig.from(ParamValues.of(params))));
                if (hintfilter) {
                    ctx.filter(new HintFilter());
                }
                record(ctx, servers, seen, out);
            }
            if (line.startsWith("! fail ")) {
                String name = line.substring(7).trim();
                servers.get(name).status(TestServer.with(name).status().withBits(0));
                ctx.endpoint(name).fail("killed (trace)");
                ctx.settle();
            } else if (line.startsWith("! status ")) {
                String[] parts = line.substring(9).trim().split("\\s+");
                servers.get(parts[0]).status(parts[1].equals("down") ? ServerStatus.DOWN
                        : TestServer.with(parts[0], bits(parts[1])).status());
                continue;
            } else if (line.startsWith("> ")) {
                ctx.send(TestPackets.query(line.substring(2)));
            } else if (line.startsWith(">prepare ")) {
                ctx.send(TestPackets.prepare(line.substring(9)));
            } else if (line.startsWith(">execute ")) {
                ctx.send(TestPackets.execute(Long.parseLong(line.substring(9).trim())));
            } else if (line.startsWith(">close ")) {
                ctx.send(TestPackets.closeStatement(Long.parseLong(line.substring(7).trim())));
            } else if (line.equals(">ping")) {
                ctx.send(TestPackets.ping());
            } else {
                throw new IllegalArgumentException("not a script line: " + line);
            }
            record(ctx, servers, seen, out);
        }
        return out.toString();
    }

    private static StatusBit[] bits(String role) {
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "master" -> new StatusBit[] {StatusBit.MASTER};
            case "slave" -> new StatusBit[] {StatusBit.SLAVE};
            case "maintenance" -> new StatusBit[] {StatusBit.SLAVE, StatusBit.MAINTENANCE};
            case "running", "down" -> new StatusBit[0];
            default -> throw new IllegalArgumentException("role " + role);
        };
    }

    /** What happened since the last step: each server's new requests, the client's new replies. */
    private static void record(FakeRouterSessionContext ctx, Map<String, TestServer> servers,
            Map<FakeEndpoint, Integer> seen, StringBuilder out) {
        for (String name : servers.keySet()) {
            List<String> fresh = new ArrayList<>();
            for (FakeEndpoint e : ctx.endpoints(name)) {
                List<FakeEndpoint.Sent> sent = e.sent();
                int from = seen.getOrDefault(e, 0);
                for (int i = from; i < sent.size(); i++) {
                    fresh.add(sent.get(i).text());
                }
                seen.put(e, sent.size());
            }
            if (!fresh.isEmpty()) {
                out.append("  ").append(name).append(": ").append(String.join(" | ", fresh)).append('\n');
            }
        }
        List<String> client = ctx.clientSaw();
        if (!client.isEmpty()) {
            out.append("  client: ").append(String.join(", ", client)).append('\n');
            ctx.clearClientSaw();
        }
        if (ctx.isClosed()) {
            out.append("  closed: ").append(ctx.closeReason()).append('\n');
        }
    }
}
