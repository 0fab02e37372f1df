package io.flywheel.gateway.dashboard;

import io.flywheel.gateway.TestAuth;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

/** Debian's headless Chromium driven by Selenium, with a profile of its own that is deleted at close. */
final class HeadlessChromium implements AutoCloseable {

    final WebDriver driver;
    private final Path profile;

    HeadlessChromium() throws Exception {
        profile = Files.createTempDirectory("flywheel-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        driver = new ChromeDriver(service, options);
    }

    /**
     * A wait of 30 s that also goes on through a stale element: a condition that reads a list while the
     * page is replaced (a filter applied, a page turned) holds elements of the old page (CI: a
     * StaleElementReferenceException ended a test whose next poll would have passed).
     */
    static WebDriverWait patientWait(WebDriver driver) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Opens the dashboard, is sent to its sign-in page, and signs in with the test admin's key. */
    void signIn(URL dashboard, WebDriverWait wait) {
        driver.get(dashboard.toString());
        wait.until(ExpectedConditions.urlContains("/dashboard/login"));
        driver.findElement(By.id("key")).sendKeys(TestAuth.ADMIN_KEY);
        driver.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("principal")));
    }

    void screenshot(String name) throws Exception {
        Path screenshots = Path.of("target/screenshots");
        Files.createDirectories(screenshots);
        Files.write(screenshots.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws Exception {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
