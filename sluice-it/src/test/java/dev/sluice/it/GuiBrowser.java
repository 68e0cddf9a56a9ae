package dev.sluice.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through Debian's chromedriver ({@code chromium} and {@code chromium-driver}, which
 * bin/test installs): Selenium is given both paths, so it never tries to download a driver or a browser. Keeps
 * the browser's console log so tests can insist on no errors, and writes screenshots under
 * {@code target/gui-screenshots/}.
 */
final class GuiBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "gui-screenshots");
    static final Duration WAIT = Duration.ofSeconds(15);

    final ChromeDriver driver;
    private final String base;
    private final List<String> console = new ArrayList<>();

    GuiBrowser(String base) {
        this.base = base;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // root in a container: no sandbox; a small /dev/shm: use /tmp
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--no-first-run", "--disable-extensions", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60)).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    void open(String hashRoute) {
        driver.get(base + "/" + hashRoute);
    }

    /** Sets the hash route without reloading the page (the GUI's own navigation). */
    void go(String hashRoute) {
        driver.executeScript("location.hash = arguments[0]", hashRoute);
    }

    <T> T waitFor(Function<WebDriver, T> condition) {
        return waitFor(WAIT, condition);
    }

    /** Polls the condition; the pages re-render as they poll, so an element may go stale between two calls. */
    <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout).pollingEvery(Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** The element once it is displayed. */
    WebElement visible(String css) {
        return waitFor(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** The text of an element once it has some. */
    String textOf(String css) {
        return waitFor(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            String t = found.isEmpty() ? "" : found.get(0).getText();
            return t.isBlank() ? null : t;
        });
    }

    void type(String css, String text) {
        WebElement e = visible(css);
        e.clear();
        e.sendKeys(text);
    }

    void click(String css) {
        visible(css).click();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path to = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    /**
     * The console's errors since the last call, without the browser's own lines about HTTP answers the test
     * provoked on purpose ({@code expectedStatuses}: a wrong password is a 401, an invalid value a 400).
     */
    List<String> consoleErrors(int... expectedStatuses) {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                console.add(e.getMessage());
            }
        }
        List<String> errors = new ArrayList<>();
        for (String m : console) {
            boolean expected = false;
            for (int s : expectedStatuses) {
                expected |= m.contains("Failed to load resource: the server responded with a status of " + s);
            }
            if (!expected) {
                errors.add(m);
            }
        }
        console.clear();
        return errors;
    }

    Map<String, Object> timings() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) script("""
                const paint = performance.getEntriesByName('first-contentful-paint')[0];
                const ready = performance.getEntriesByName('sluice-dashboard-ready')[0];
                const nav = performance.getEntriesByType('navigation')[0];
                return {fcp: paint ? paint.startTime : -1, ready: ready ? ready.startTime : -1,
                        load: nav ? nav.loadEventEnd : -1};
                """);
        return m;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
