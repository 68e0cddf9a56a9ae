package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.net.Transport;
import dev.sluice.server.session.Worker;
import dev.sluice.testkit.NotifySocketReceiver;
import io.netty.channel.DefaultEventLoop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify towards a stand-in for systemd's notification socket (a real Unix datagram socket). */
class SystemdNotifyTest {
    @TempDir
    Path dir;

    @Test
    void readyAndStoppingReachTheNotifySocket() throws Exception {
        try (NotifySocketReceiver systemd = new NotifySocketReceiver(dir.resolve("notify"));
             SystemdNotify notify = SystemdNotify.open(systemd.path().toString())) {
            assertThat(notify).isNotNull();
            notify.send("READY=1\nSTATUS=Serving");
            assertThat(systemd.await("READY=1", Duration.ofSeconds(5))).contains("STATUS=Serving");
            notify.send("STOPPING=1");
            assertThat(systemd.await("STOPPING=1", Duration.ofSeconds(5))).isEqualTo("STOPPING=1");
        }
    }

    @Test
    void watchdogPingsStopWhileAWorkerIsStuck() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        Worker worker = new Worker(0, loop, Transport.detect(), 0, 1);
        try (NotifySocketReceiver systemd = new NotifySocketReceiver(dir.resolve("notify"));
             SystemdNotify notify = SystemdNotify.open(systemd.path().toString())) {
            notify.startWatchdog(Duration.ofMillis(100), List.of(worker));
            assertThat(systemd.await("WATCHDOG=1", Duration.ofSeconds(5))).isNotNull();
            assertThat(systemd.await("WATCHDOG=1", Duration.ofSeconds(5))).as("again").isNotNull();
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(150); // a ping may be on its way already
            systemd.clear();
            assertThat(systemd.await("WATCHDOG=1", Duration.ofMillis(500))).as("stuck worker: no ping").isNull();
            release.countDown();
            assertThat(systemd.await("WATCHDOG=1", Duration.ofSeconds(5))).as("pings resume").isNotNull();
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void watchdogPeriodHonoursWatchdogPid() {
        assertThat(SystemdNotify.watchdogPeriod("2000000", null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(SystemdNotify.watchdogPeriod("2000000", Long.toString(ProcessHandle.current().pid())))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(SystemdNotify.watchdogPeriod("2000000", "1")).as("another process's").isNull();
        assertThat(SystemdNotify.watchdogPeriod(null, null)).isNull();
        assertThat(SystemdNotify.open(null)).as("not under systemd").isNull();
    }
}
