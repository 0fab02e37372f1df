package io.flywheel.gateway.dashboard;

import io.flywheel.gateway.TestAuth;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (Debian's headless Chromium driven by Selenium) against the real
 * stack: sign in with a key, find a model created through the API, open it, see its deployments,
 * and watch a loop event arrive over SSE. Saves a screenshot to target/screenshots/.
 */
@QuarkusTest
class DashboardBrowserTest {

    @TestHTTPResource("/dashboard")
    URL dashboard;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void startBrowser() throws Exception {
        profile = Files.createTempDirectory("flywheel-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Test
    void signInFindTheModelSeeItsDeploymentsAndTheLiveFeed() throws Exception {
        String model = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + model + "\",\"description\":\"seen in a browser\"}")
                .when().post("/api/v1/models").then().statusCode(201);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        browser.get(dashboard.toString());
        wait.until(ExpectedConditions.urlContains("/dashboard/login"));
        browser.findElement(By.id("key")).sendKeys("wrong-key");
        browser.findElement(By.id("sign-in")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText())
                .contains("not valid");
        browser.findElement(By.id("key")).sendKeys(TestAuth.ADMIN_KEY);
        browser.findElement(By.id("sign-in")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("principal"))).getText())
                .isEqualTo("bootstrap-admin");

        By row = By.cssSelector("tr.model-row[data-model='" + model + "']");
        wait.until(ExpectedConditions.elementToBeClickable(row)).click();
        wait.until(ExpectedConditions.textToBe(By.id("model-name"), model));
        List<String> environments = wait.until(ExpectedConditions.presenceOfAllElementsLocatedBy(By.cssSelector("#deployments .environment")))
                .stream().map(e -> e.getAttribute("data-environment")).toList();
        assertThat(environments).containsExactly("staging", "production");

        // a loop event on a control topic appears in the live feed without a reload
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
            headers.add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            headers.add("ce_type", "io.flywheel.registry.model.created.v1".getBytes(StandardCharsets.UTF_8));
            headers.add("ce_source", "test".getBytes(StandardCharsets.UTF_8));
            headers.add("ce_subject", model.getBytes(StandardCharsets.UTF_8));
            kafka.produceStrings().fromRecords(List.of(new ProducerRecord<>("test.flywheel.registry", null, model,
                    "{\"model\":\"" + model + "\"}", headers))).awaitCompletion();
        }
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("feed"), model));

        Path screenshots = Path.of("target/screenshots");
        Files.createDirectories(screenshots);
        Files.write(screenshots.resolve("dashboard.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
