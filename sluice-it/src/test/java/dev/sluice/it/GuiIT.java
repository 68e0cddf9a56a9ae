package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web GUI end to end: a real headless Chromium against a real Sluice in front of a primary and two replicas.
 * One browser and one cluster for the class; the tests run in order and share the login. After every test the
 * browser's console must hold no error other than the HTTP refusals that test provoked.
 */
@MariaDbCluster(replicas = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuiIT {
    static MariaDbTopology topology;
    static final ObjectMapper JSON = new ObjectMapper();
    static SluiceFixture sluice;
    static AdminRest rest;
    static GuiBrowser browser;
    int[] expectedStatuses = {};

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(GuiBrowser.available(), "chromium and chromium-driver are not installed (bin/test installs them)");
        int adminPort;
        try (ServerSocket s = new ServerSocket(0)) {
            adminPort = s.getLocalPort();
        }
        String cnf = SluiceFixture.readWriteSplit(topology, "")
                .replaceFirst("\\[maxscale\\]\n", "[maxscale]\nadmin_port=" + adminPort + "\nadmin_secure_gui=false\n");
        sluice = SluiceFixture.start(topology, cnf);
        rest = new AdminRest(adminPort);
        browser = new GuiBrowser("http://127.0.0.1:" + adminPort);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (sluice != null) {
            sluice.close();
        }
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(browser.consoleErrors(expectedStatuses)).as("browser console errors").isEmpty();
    }

    JsonNode api(String path) throws Exception {
        return JSON.readTree(rest.expect(200, "GET", path, null));
    }

    @Test
    @Order(0)
    void staticFilesAreGzippedAndRevalidated() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI app = java.net.URI.create("http://127.0.0.1:" + sluice.server.adminPort() + "/gui/app.js");
        var zipped = http.send(java.net.http.HttpRequest.newBuilder(app).header("Accept-Encoding", "gzip")
                .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(zipped.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(zipped.headers().firstValue("content-type").orElseThrow()).startsWith("text/javascript");
        String etag = zipped.headers().firstValue("etag").orElseThrow();
        String text = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("import");
        var again = http.send(java.net.http.HttpRequest.newBuilder(app).header("If-None-Match", etag)
                .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        for (String path : new String[] {"/gui/nothing.js", "/gui/..%2fAdminServer.class", "/gui/%2e%2e/x.js"}) {
            var missing = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + sluice.server.adminPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    @Order(1)
    void wrongPasswordIsRefusedWithAMessageThenTheRightOneLogsIn() throws Exception {
        expectedStatuses = new int[] {401};
        browser.open("");
        logIn("admin", "not-the-password");
        assertThat(browser.textOf("#login-message .msg.error")).isEqualTo("Wrong user name or password");
        browser.screenshot("login-refused");

        browser.type("#login-password", "mariadb");
        browser.click("#login-submit");
        browser.visible("main[data-page=dashboard]");
        assertThat(browser.textOf("#who")).isEqualTo("admin");
    }

    void logIn(String user, String password) {
        browser.type("#login-user", user);
        browser.type("#login-password", password);
        browser.click("#login-submit");
    }

    @Test
    @Order(2)
    void dashboardShowsTheThreeServersWithTheirRoles() throws Exception {
        browser.go("#/dashboard");
        browser.waitFor(d -> d.findElements(By.cssSelector("#servers-table tr[data-server]")).size() == 3);
        String[] expected = {"Master, Running", "Slave, Running", "Slave, Running"};
        for (int i = 1; i <= 3; i++) {
            String name = "db" + i;
            String want = expected[i - 1];
            String state = browser.waitFor(d -> {
                String s = d.findElement(By.cssSelector("#servers-table tr[data-server=" + name + "] .badge"))
                        .getAttribute("data-state");
                return want.equals(s) ? s : null;
            });
            assertThat(state).isEqualTo(want);
        }
        assertThat(browser.driver.findElements(By.cssSelector("#services-table tbody tr"))).hasSize(1);
    }

    @Test
    @Order(3)
    void qpsGraphMovesWhileAClientRunsQueries() throws Exception {
        browser.go("#/dashboard");
        browser.visible("#chart-qps");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        Thread client = new Thread(() -> {
            try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
                while (running.get()) {
                    if (done.incrementAndGet() % 10 == 0) {
                        st.execute("DO 1"); // a write's OK, so the write side of the split moves too
                    } else {
                        st.executeQuery("SELECT 1").close();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "gui-it-client");
        client.start();
        try {
            double qps = browser.waitFor(Duration.ofSeconds(20), d -> {
                String v = d.findElement(By.cssSelector("#chart-qps .legend-item[data-series=QPS]"))
                        .getAttribute("data-value");
                return v != null && !v.isEmpty() && Double.parseDouble(v) > 50 ? Double.parseDouble(v) : null;
            });
            assertThat(qps).isGreaterThan(50);
            assertThat(browser.driver.findElements(By.cssSelector("#chart-qps path[data-series=QPS]"))).hasSize(1);
            // the read side of the read/write split moves too: SELECTs go to the replicas
            browser.waitFor(d -> {
                String v = d.findElement(By.cssSelector("#chart-rw .legend-item[data-series=reads]"))
                        .getAttribute("data-value");
                return v != null && !v.isEmpty() && Double.parseDouble(v) > 10;
            });
            // a few more polls, for a screenshot with lines in it
            browser.waitFor(Duration.ofSeconds(40), d -> Integer.parseInt(d.findElement(By.id("chart-qps"))
                    .getAttribute("data-samples")) >= 5);
            browser.screenshot("dashboard");
        } finally {
            running.set(false);
            client.join(10_000);
        }
        assertThat(done.get()).isGreaterThan(100);
    }

    @Test
    @Order(4)
    void replicaGoesIntoMaintenanceFromTheTopologyAndBack() throws Exception {
        browser.go("#/topology");
        browser.click("#topo-node-db3");
        browser.click("#set-maintenance");
        assertThat(browser.textOf(".modal-box p")).contains("db3");
        browser.click("#confirm-ok");
        browser.waitFor(d -> d.findElement(By.id("topo-node-db3")).getAttribute("data-state").contains("Maintenance"));
        assertThat(browser.textOf("#action-message .msg.ok")).isEqualTo("Set maintenance: done");
        assertThat(api("/v1/servers/db3").at("/data/attributes/state").asText()).contains("Maintenance");
        assertThat(browser.driver.findElements(By.cssSelector("line[data-edge='db1->db3']"))).hasSize(1);
        browser.screenshot("topology");

        browser.click("#clear-maintenance");
        browser.click("#confirm-ok");
        browser.waitFor(d -> !d.findElement(By.id("topo-node-db3")).getAttribute("data-state")
                .contains("Maintenance"));
        assertThat(api("/v1/servers/db3").at("/data/attributes/state").asText()).doesNotContain("Maintenance");
    }

    @Test
    @Order(5)
    void serverIsCreatedEditedAndDestroyedFromTheObjectView() throws Exception {
        expectedStatuses = new int[] {400};
        int port = topology.replicas().get(0).port();
        browser.go("#/objects/servers");
        browser.click("#create-servers");
        browser.type("#create-name", "gui-server");
        browser.type("#param-address", "127.0.0.1");
        browser.type("#param-port", "not-a-port");
        browser.click("#create-submit");
        String refused = browser.textOf("#create-message .msg.error");
        assertThat(refused).contains("port").contains("not-a-port");
        assertThat(browser.driver.findElements(By.cssSelector("#create-params tr.error[data-param=port]"))).hasSize(1);
        assertThat(rest.send("GET", "/v1/servers/gui-server", null).statusCode()).isEqualTo(404);

        browser.type("#param-port", String.valueOf(port));
        browser.click("#create-submit");
        browser.waitFor(d -> d.getCurrentUrl().endsWith("#/objects/servers/gui-server"));
        browser.visible("#params-table");
        assertThat(api("/v1/servers/gui-server").at("/data/attributes/parameters/port").asInt()).isEqualTo(port);

        // an invalid runtime change: the API's message next to the form, the row marked, nothing changed
        WebElement pool = browser.visible("#param-persistpoolmax");
        pool.clear();
        pool.sendKeys("-5");
        browser.click("#params-save");
        assertThat(browser.textOf("#params-message .msg.error")).contains("persistpoolmax");
        assertThat(api("/v1/servers/gui-server").at("/data/attributes/parameters/persistpoolmax").asInt()).isZero();
        pool.clear();
        pool.sendKeys("7");
        browser.click("#params-save");
        assertThat(browser.textOf("#params-message .msg.ok")).contains("persistpoolmax");
        assertThat(api("/v1/servers/gui-server").at("/data/attributes/parameters/persistpoolmax").asInt()).isEqualTo(7);

        // link it to the monitor from the object page, then unlink
        browser.visible("#link-monitors option[value=Cluster]");
        new org.openqa.selenium.support.ui.Select(browser.visible("#link-monitors")).selectByValue("Cluster");
        browser.click("#link-monitors-add");
        browser.visible("button[data-unlink=Cluster]");
        assertThat(api("/v1/servers/gui-server").at("/data/relationships/monitors/data/0/id").asText())
                .isEqualTo("Cluster");
        browser.screenshot("object-server");
        browser.click("button[data-unlink=Cluster]");
        browser.waitFor(d -> d.findElements(By.cssSelector("button[data-unlink=Cluster]")).isEmpty());

        browser.click("#destroy");
        browser.click("#confirm-ok");
        browser.waitFor(d -> d.getCurrentUrl().endsWith("#/objects/servers"));
        assertThat(rest.send("GET", "/v1/servers/gui-server", null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(6)
    void sqlWorkspaceRunsAQueryAndShowsFailuresReadably() throws Exception {
        expectedStatuses = new int[] {400};
        browser.go("#/sql");
        browser.visible("#sql-target option[value=RW-Listener]");
        new org.openqa.selenium.support.ui.Select(browser.visible("#sql-target")).selectByValue("RW-Listener");
        browser.type("#sql-user", MariaDbTopology.APP_USER);
        browser.type("#sql-password", "wrong");
        browser.type("#sql-db", "test");
        browser.click("#sql-connect");
        assertThat(browser.textOf("#sql-connect-message .msg.error")).contains("Cannot connect to RW-Listener")
                .contains("Access denied");

        browser.type("#sql-password", MariaDbTopology.APP_PASSWORD);
        browser.click("#sql-connect");
        browser.type("#sql-editor", "SELECT 41 + 1 AS answer, 'gui' AS who");
        assertThat(browser.driver.findElement(By.id("sql-connect-form")).isDisplayed()).isFalse();
        browser.click("#sql-run");
        browser.visible("#sql-results table.grid");
        List<WebElement> headers = browser.driver.findElements(By.cssSelector("#sql-results table.grid th"));
        assertThat(headers.stream().map(WebElement::getText)).containsExactly("answer", "who");
        List<WebElement> cells = browser.driver.findElements(By.cssSelector("#sql-results table.grid td"));
        assertThat(cells.stream().map(WebElement::getText)).containsExactly("42", "gui");
        assertThat(browser.textOf("#sql-history li")).contains("SELECT 41 + 1");

        browser.type("#sql-editor", "SELECT * FROM no_such_table_here");
        browser.click("#sql-run");
        assertThat(browser.textOf("#sql-results .sql-error")).startsWith("Error 1146 (42S02)")
                .contains("no_such_table_here");
        browser.screenshot("sql");
    }

    @Test
    @Order(7)
    void explainShowsWhereReadWriteSplitSendsAStatement() throws Exception {
        browser.go("#/explain");
        browser.visible("#explain-target option[value=RW-Listener]");
        browser.type("#explain-user", MariaDbTopology.APP_USER);
        browser.type("#explain-password", MariaDbTopology.APP_PASSWORD);
        browser.type("#explain-sql", "SELECT 1");
        browser.click("#explain-run");
        String read = browser.textOf("#explain-result td");
        assertThat(read).isEqualTo("replica");
        browser.type("#explain-sql", "INSERT INTO t VALUES (1)");
        browser.click("#explain-run");
        browser.waitFor(d -> d.findElement(By.cssSelector("#explain-result td")).getText().equals("primary"));
        assertThat(browser.driver.findElements(By.cssSelector("#explain-result td")).get(1).getText())
                .isEqualTo("db1");
        browser.screenshot("explain");
    }

    @Test
    @Order(8)
    void sessionIsKilledFromTheSessionsPage() throws Exception {
        Set<String> before = sessionIds();
        try (Connection victim = sluice.app("RW-Listener"); Statement st = victim.createStatement()) {
            st.executeQuery("SELECT 1").close();
            Set<String> after = sessionIds();
            after.removeAll(before);
            assertThat(after).hasSize(1);
            String id = after.iterator().next();
            browser.go("#/sessions");
            WebElement row = browser.visible("tr[data-session='" + id + "']");
            assertThat(row.getText()).contains("app").contains("RW-Listener");
            browser.waitFor(d -> !d.findElement(By.cssSelector("tr[data-session='" + id + "'] .backends")).getText()
                    .equals("—"));
            browser.screenshot("sessions");
            browser.click("button[data-kill='" + id + "']");
            browser.click("#confirm-ok");
            assertThat(browser.textOf("#sessions-message .msg.ok")).contains(id);
            browser.waitFor(d -> d.findElements(By.cssSelector("tr[data-session='" + id + "']")).isEmpty());
            assertThatThrownBy(() -> st.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
        }
    }

    Set<String> sessionIds() throws Exception {
        Set<String> ids = new HashSet<>();
        api("/v1/sessions").path("data").forEach(s -> ids.add(s.path("id").asText()));
        return ids;
    }

    @Test
    @Order(9)
    void logsPageFiltersByLevelAndSearch() throws Exception {
        // the wrong password of the first test was logged as a warning
        browser.go("#/logs");
        new org.openqa.selenium.support.ui.Select(browser.visible("#logs-level")).selectByValue("warning");
        browser.type("#logs-search", "Authentication failed for admin user 'admin'");
        browser.waitFor(d -> !d.findElements(By.cssSelector("#logs-table tr[data-log]")).isEmpty());
        for (WebElement row : browser.driver.findElements(By.cssSelector("#logs-table tr[data-log]"))) {
            assertThat(row.getText()).contains("Authentication failed for admin user 'admin'").contains("warning");
        }
        browser.type("#logs-search", "no line says this 9f2c");
        browser.visible("#logs-body p.muted");
        browser.screenshot("logs");
    }

    @Test
    @Order(10)
    void everyPageRendersAtDesktopAndPhoneWidth() throws Exception {
        String[] pages = {"dashboard", "topology", "objects", "objects/services/RW", "sessions", "logs", "sql",
            "explain"};
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            browser.size(size[0], size[1]);
            for (String p : pages) {
                browser.go("#/" + p);
                browser.waitFor(d -> d.findElement(By.id("page")).getAttribute("data-page")
                        .equals(p.split("/")[0]));
                browser.waitFor(d -> d.findElements(By.cssSelector("#page table, #page form, #page svg")).size() > 0);
                Thread.sleep(300); // let a first poll's answer land in the picture
                // nothing wider than the screen but what scrolls inside its own box (tables, graphs)
                Number overflow = (Number) browser.script(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertThat(overflow.intValue()).as(p + " at " + size[0] + " px overflows").isLessThanOrEqualTo(0);
                browser.screenshot("page-" + p.replace('/', '-') + "-" + size[0]);
            }
        }
        browser.size(1280, 800);
    }

    @Test
    @Order(11)
    void dashboardPaintsFast() throws Exception {
        browser.driver.get("about:blank"); // a real page load, not a change of the hash
        browser.open("#/dashboard");
        browser.waitFor(d -> "true".equals(d.findElement(By.id("page")).getAttribute("data-ready")));
        var t = browser.timings();
        double fcp = ((Number) t.get("fcp")).doubleValue();
        double ready = ((Number) t.get("ready")).doubleValue();
        System.out.printf("GUI timing: first contentful paint %.0f ms, dashboard with data %.0f ms%n", fcp, ready);
        // the target is 1 s on an idle machine (docs/performance.md); this bound only catches a GUI that hangs
        assertThat(fcp).isPositive().isLessThan(2000);
        assertThat(ready).isPositive().isLessThan(4000);
    }

    @Test
    @Order(12)
    void basicAccountSeesEverythingButChangesNothing() throws Exception {
        rest.expect(204, "POST", "/v1/users/inet", "{\"data\":{\"id\":\"watcher\",\"type\":\"inet\","
                + "\"attributes\":{\"password\":\"watchpw\",\"account\":\"basic\"}}}");
        browser.click("#logout");
        logIn("watcher", "watchpw");
        assertThat(browser.textOf("#who")).isEqualTo("watcher (read-only)");
        browser.go("#/objects/servers/db2");
        browser.visible("#params-table");
        assertThat(browser.driver.findElement(By.id("params-save")).isEnabled()).isFalse();
        assertThat(browser.driver.findElements(By.id("destroy"))).isEmpty();
        browser.go("#/topology");
        browser.click("#topo-node-db2");
        assertThat(browser.visible("#set-maintenance").isEnabled()).isFalse();
        browser.click("#logout");
        browser.visible("#login-form");
    }

    /**
     * The proxy's CPU for the GUI's polling: ten dashboards in ten windows, all visible (each polls every 5 s;
     * hidden tabs would not poll at all), against the same time with none open, counted over the threads of
     * Sluice (names starting with {@code sluice-}) in this JVM.
     */
    @Test
    @Order(13)
    void tenDashboardWindowsCostTheProxyLittleCpu() throws Exception {
        long seconds = Long.getLong("sluice.gui.cpu.seconds", 15);
        browser.open("#/dashboard");
        logIn("admin", "mariadb");
        browser.visible("main[data-page=dashboard]");
        String first = browser.driver.getWindowHandle();
        browser.driver.get("about:blank");
        double idle = sluiceCpuShare(seconds);
        List<String> tabs = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            browser.driver.switchTo().newWindow(org.openqa.selenium.WindowType.WINDOW);
            browser.open("#/dashboard");
            browser.visible("#chart-qps");
            tabs.add(browser.driver.getWindowHandle());
        }
        Thread.sleep(3000);
        double busy = sluiceCpuShare(seconds);
        for (String tab : tabs) {
            browser.driver.switchTo().window(tab);
            int samples = Integer.parseInt(browser.driver.findElement(By.id("chart-sessions"))
                    .getAttribute("data-samples"));
            assertThat(samples).as("polls of a dashboard window").isGreaterThanOrEqualTo((int) (seconds / 5) - 1);
            browser.driver.close();
        }
        browser.driver.switchTo().window(first);
        double cost = busy - idle;
        System.out.printf("GUI polling CPU: %.2f%% of one core with 10 dashboard windows, %.2f%% with none: "
                + "%.2f%% for the GUI (%d s each)%n", busy * 100, idle * 100, cost * 100, seconds);
        // the target is < 1 % (docs/performance.md); this bound only catches a polling storm on a busy machine
        assertThat(cost).isLessThan(0.05);
    }

    /** The share of one core that Sluice's threads used over the next {@code seconds}. */
    static double sluiceCpuShare(long seconds) throws InterruptedException {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long before = sluiceCpuNanos(mx);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000);
        return (double) (sluiceCpuNanos(mx) - before) / (System.nanoTime() - start);
    }

    static long sluiceCpuNanos(java.lang.management.ThreadMXBean mx) {
        long sum = 0;
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("sluice-")) {
                long cpu = mx.getThreadCpuTime(t.getThreadId());
                sum += Math.max(cpu, 0);
            }
        }
        return sum;
    }
}
