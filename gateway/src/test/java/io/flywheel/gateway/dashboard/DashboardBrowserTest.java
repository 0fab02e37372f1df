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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (Debian's headless Chromium driven by Selenium) against the real
 * stack: sign in with a key, find a model created through the API, open it, see its deployments,
 * and watch a loop event arrive over SSE; and a model taken once round the loop, whose timeline
 * lists what happened in order. Saves screenshots to target/screenshots/.
 */
@QuarkusTest
class DashboardBrowserTest {

    @TestHTTPResource("/dashboard")
    URL dashboard;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private HeadlessChromium chromium;
    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws Exception {
        chromium = new HeadlessChromium();
        browser = chromium.driver;
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
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
        WebDriverWait wait = HeadlessChromium.patientWait(browser);

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

        screenshot("dashboard.png");
    }

    /**
     * A model once round the loop, through the real services: retraining trains version 1 from a
     * registered dataset (a trigger, a job, its evaluation) and deploy promotes it to staging; version 2,
     * registered with a worse roc_auc, fails the metrics gate; version 3 gets an alias, goes to staging
     * as a canary (50%, then 100%), and is rolled back by hand.
     */
    private void modelOnceRoundTheLoop(String model) {
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + model + "\",\"description\":\"once round the loop\"}")
                .when().post("/api/v1/models").then().statusCode(201);
        String dataset = model + "-base";
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + dataset + "\"}").when().post("/api/v1/datasets").then().statusCode(201);
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        StringBuilder rows = new StringBuilder("x,z,churned\n");
        for (int i = 0; i < 400; i++) {
            double x = random.nextGaussian();
            double z = random.nextGaussian();
            rows.append(x).append(',').append(z).append(',').append(random.nextDouble() < 1 / (1 + Math.exp(z - 1.5 * x)) ? 1 : 0).append('\n');
        }
        asAdmin().contentType("text/csv").body(rows.toString()).when().put("/api/v1/datasets/{name}/versions", dataset).then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body("""
                {"triggers": ["manual"], "cooldown": "PT0S", "min_new_rows": 0,
                 "data": {"window": "PT1H", "base_dataset": {"name": "%s", "id": null}},
                 "trainer": {"params": {"task": "binary-classification", "target": "churned", "seed": 42}},
                 "evaluation": {"metric": "roc_auc", "margin": 0.0}, "promotion": {"environment": "staging"}}""".formatted(dataset))
                .when().put("/api/v1/retrain/policies/{model}", model).then().statusCode(201);
        String job = asAdmin().contentType(ContentType.JSON).body("{\"model\":\"" + model + "\",\"reason\":\"the first model\"}")
                .when().post("/api/v1/retrain/jobs").then().statusCode(201).extract().path("id");
        List<String> ended = List.of("promotion-requested", "rejected", "failed", "cancelled");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).until(() ->
                ended.contains(asAdmin().when().get("/api/v1/retrain/jobs/{id}", job).then().extract().<String>path("state")));
        var finished = asAdmin().when().get("/api/v1/retrain/jobs/{id}", job).then().extract();
        assertThat(finished.<String>path("state")).as("job %s: %s", job, finished.<String>path("reason")).isEqualTo("promotion-requested");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                asAdmin().when().get("/api/v1/deployments/{model}/staging", model)
                        .then().statusCode(200).body("live.version", org.hamcrest.Matchers.hasItem(1)));

        registerVersion(model, 2, 0.01);
        asAdmin().contentType(ContentType.JSON).body("{\"version\": 2, \"strategy\": \"replace\", \"reason\": \"worth a try\"}")
                .when().post("/api/v1/deployments/{model}/staging/promotions", model)
                .then().statusCode(422).body("gate", org.hamcrest.Matchers.equalTo("metrics"));
        registerVersion(model, 3, 1.0);
        asAdmin().contentType(ContentType.JSON).body("{\"version\": 3, \"reason\": \"the one to try\"}")
                .when().put("/api/v1/models/{model}/aliases/challenger", model).then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body("""
                {"version": 3, "strategy": "canary", "reason": "better on paper",
                 "canary": {"steps": [50, 100], "min_hold_seconds": 0, "min_samples": 0}}""")
                .when().post("/api/v1/deployments/{model}/staging/promotions", model).then().statusCode(201);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                asAdmin().when().get("/api/v1/deployments/{model}/staging/history", model)
                        .then().statusCode(200).body("items.action", org.hamcrest.Matchers.hasItem("canary-completed")));
        asAdmin().contentType(ContentType.JSON).body("{\"reason\": \"not convinced after all\"}")
                .when().post("/api/v1/deployments/{model}/staging/rollback", model).then().statusCode(200);
    }

    /** A version of two number features x and z with a flywheel-linear artifact and the roc_auc it claims. */
    private static void registerVersion(String model, int expected, double rocAuc) {
        int version = asAdmin().contentType(ContentType.JSON).body("""
                        {"framework": "flywheel-linear", "format": "json", "metrics": {"roc_auc": %s},
                         "signature": {"inputs": [{"name": "x", "type": "number"}, {"name": "z", "type": "number"}],
                                       "output": {"name": "churned", "type": "number"}}}""".formatted(rocAuc))
                .when().post("/api/v1/models/{model}/versions", model).then().statusCode(201).extract().path("version");
        assertThat(version).isEqualTo(expected);
        asAdmin().contentType(ContentType.JSON).body("""
                        {"format": "flywheel-linear/v1", "task": "binary-classification",
                         "features": [{"name": "x", "type": "number", "mean": 0.0, "std": 1.0},
                                      {"name": "z", "type": "number", "mean": 0.0, "std": 1.0}],
                         "intercept": 0.0, "coefficients": [1.5, -1.0],
                         "target": {"name": "churned", "positive_label": 1, "negative_label": 0}, "threshold": 0.5}""")
                .when().put("/api/v1/models/{model}/versions/{version}/artifact", model, version).then().statusCode(200);
    }

    @Test
    void aModelsTimelineShowsTheLoopInOrderWithItsNumbers() throws Exception {
        String model = "dash-loop-" + UUID.randomUUID().toString().substring(0, 8);
        modelOnceRoundTheLoop(model);
        WebDriverWait wait = HeadlessChromium.patientWait(browser);

        chromium.signIn(dashboard, wait);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr.model-row[data-model='" + model + "']"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("model-name"), model));

        List<WebElement> entries = wait.until(ExpectedConditions.presenceOfAllElementsLocatedBy(
                By.cssSelector("#timeline-entries .timeline-entry")));
        List<String> kinds = entries.stream().map(e -> e.getAttribute("data-kind")).toList();
        assertThat(kinds).containsSubsequence("trigger", "job", "test", "version", "promotion", "gate", "alias",
                "canary step", "canary step", "rollback");
        List<String> times = entries.stream().map(e -> e.findElement(By.tagName("time")).getAttribute("datetime")).toList();
        assertThat(times.stream().map(java.time.Instant::parse).toList()).isSorted();

        // the job's evaluation, the failed gate, the canary's step and the rollback, each with what it says and its numbers
        assertThat(textOf(lastOfKind(entries, "test"))).contains("v1", "promote", "candidate.roc_auc");
        assertThat(textOf(lastOfKind(entries, "gate"))).contains("v2", "staging:", "metrics.roc_auc.candidate 0.01");
        assertThat(textOf(lastOfKind(entries, "alias"))).contains("challenger set to v3", "the one to try");
        assertThat(textOf(lastOfKind(entries, "canary step"))).contains("v3", "step 0", "percent 50", "samples");
        assertThat(textOf(lastOfKind(entries, "rollback"))).contains("staging:", "not convinced after all");

        // the heading in view, and the timeline's box at its end: the promotions, the gate, the canary and the rollback
        ((JavascriptExecutor) browser).executeScript("document.getElementById('loop').scrollIntoView();"
                + " var box = document.getElementById('timeline'); box.scrollTop = box.scrollHeight;");
        screenshot("timeline.png");
    }

    private static WebElement lastOfKind(List<WebElement> entries, String kind) {
        return entries.stream().filter(e -> kind.equals(e.getAttribute("data-kind"))).reduce((first, second) -> second).orElseThrow();
    }

    /** An entry's text whether or not it is scrolled into view. */
    private static String textOf(WebElement entry) {
        return entry.getAttribute("textContent").replaceAll("\\s+", " ");
    }

    private void screenshot(String name) throws Exception {
        chromium.screenshot(name);
    }
}
