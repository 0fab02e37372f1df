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

    /**
     * A model with a version, a reference and drifted live traffic, all through the real services:
     * the registry and the monitor through this gateway, predictions onto the stack's own
     * flywheel.inference topic as an external serving system would post them.
     */
    private void modelWithDrift(String model) {
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + model + "\",\"description\":\"seen in a browser\"}")
                .when().post("/api/v1/models").then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body("{\"framework\": \"flywheel-linear\", \"format\": \"json\","
                        + " \"signature\": {\"inputs\": [{\"name\": \"x\", \"type\": \"number\"}, {\"name\": \"plan\", \"type\": \"string\"}],"
                        + " \"output\": {\"name\": \"y\", \"type\": \"number\"}}}")
                .when().post("/api/v1/models/{model}/versions", model).then().statusCode(201);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        StringBuilder reference = new StringBuilder("x,plan,y\n");
        for (int i = 0; i < 1000; i++) {
            reference.append(random.nextGaussian()).append(',').append(new String[]{"a", "b", "c"}[i % 3]).append(',').append(i % 2).append('\n');
        }
        asAdmin().contentType("text/csv").queryParam("prediction_column", "y").body(reference.toString())
                .when().post("/api/v1/monitoring/{model}/versions/1/reference", model).then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body("{\"pane_seconds\": 60, \"panes\": 10, \"min_samples\": 50}")
                .when().put("/api/v1/monitoring/{model}/policy", model).then().statusCode(200);
        List<ProducerRecord<String, String>> predictions = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String payload = "{\"request_id\":\"" + model + "-" + i + "\",\"model\":\"" + model + "\",\"version\":1,"
                    + "\"inputs\":{\"x\":" + (2 + random.nextGaussian()) + ",\"plan\":\"c\"},\"output\":1,"
                    + "\"time\":\"" + java.time.Instant.now() + "\"}";
            predictions.add(new ProducerRecord<>("flywheel.inference", null, model, payload,
                    cloudEventHeaders("io.flywheel.inference.prediction.logged.v1", model)));
        }
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(predictions).awaitCompletion();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                asAdmin().when().get("/api/v1/monitoring/{model}/versions/1/drift", model)
                        .then().statusCode(200).body("windows.size()", org.hamcrest.Matchers.greaterThan(0)));
    }

    private static RecordHeaders cloudEventHeaders(String type, String subject) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "test".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_subject", subject.getBytes(StandardCharsets.UTF_8));
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    @Test
    void signInFindTheModelSeeItsDeploymentsDriftAndTheLiveFeed() throws Exception {
        String model = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        modelWithDrift(model);
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
        // the drift chart is drawn by Chart.js from the monitor's time series
        wait.until(ExpectedConditions.attributeToBe(By.id("drift-chart"), "data-drawn", "yes"));
        assertThat(browser.findElement(By.id("drift-chart")).getAttribute("data-chart")).contains("\"label\":\"x");

        // a loop event on a control topic appears in the live feed without a reload
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(List.of(new ProducerRecord<>("test.flywheel.registry", null, model,
                    "{\"model\":\"" + model + "\"}", cloudEventHeaders("io.flywheel.registry.model.created.v1", model))))
                    .awaitCompletion();
        }
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("feed"), model));

        Path screenshots = Path.of("target/screenshots");
        Files.createDirectories(screenshots);
        Files.write(screenshots.resolve("dashboard.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
