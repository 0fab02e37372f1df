package io.flywheel.gateway.dashboard;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/**
 * The dashboard's LLM pages in headless Chromium, on traces stored by the test stack's real monitor: an LLM
 * project made through this gateway, two traces of one session (a span holding a generation with a model and
 * usage; scores) sent to Langfuse's batch ingestion with the project's key pair, read back through the monitor;
 * then the traces list filtered by name and by user, a trace's tree with the generation's tokens and cost, its
 * session, the sessions list and the score charts' page. Saves screenshots to target/screenshots/.
 *
 * <p>The test profile's gateway publishes traces to test.flywheel.traces, a topic no running monitor stores; the
 * stack's monitor (services' prod profile) reads flywheel.traces. This class's profile sends them there, as the
 * stack's own gateway would.
 */
@QuarkusTest
@TestProfile(LlmDashboardBrowserTest.StackMonitorStoresTraces.class)
class LlmDashboardBrowserTest {

    public static class StackMonitorStoresTraces implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.mp.messaging.outgoing.traces-out.topic", "flywheel.traces",
                    "mp.messaging.outgoing.traces-out.topic", "flywheel.traces");
        }
    }

    @TestHTTPResource("/dashboard")
    URL dashboard;

    private static String event(String type, Instant at, String body) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + at + "\",\"body\":" + body + "}";
    }

    /** A trace: a span of 2 s holding a generation of 1 s (model, usage, prompt), and a numeric score on the trace. */
    private static List<String> trace(String id, String name, String user, String session, String tags, String model,
                                      Instant start, double score) {
        return List.of(
                event("trace-create", start, """
                        {"id":"%s","name":"%s","userId":"%s","sessionId":"%s","tags":%s,"timestamp":"%s",
                         "input":{"question":"what is the loop?"},"output":"it turns"}""".formatted(id, name, user, session, tags, start)),
                event("span-create", start, """
                        {"id":"%s-span","traceId":"%s","name":"retrieve","startTime":"%s","endTime":"%s"}"""
                        .formatted(id, id, start, start.plusSeconds(2))),
                event("generation-create", start, """
                        {"id":"%s-gen","traceId":"%s","parentObservationId":"%s-span","name":"answer","model":"%s",
                         "promptName":"qa","promptVersion":2,"startTime":"%s","endTime":"%s",
                         "usageDetails":{"input":1000,"output":200}}"""
                        .formatted(id, id, id, model, start.plusMillis(500), start.plusMillis(1500))),
                event("score-create", start, """
                        {"id":"%s-score","traceId":"%s","name":"helpfulness","value":%s}""".formatted(id, id, score)));
    }

    @Test
    void filterTheTracesOpenOneAsATreeWithItsTokensAndCostThenItsSession() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        var created = asAdmin().contentType(ContentType.JSON).body("{\"name\":\"dash-llm-" + run + "\"}")
                .when().post("/api/v1/llm/projects").then().statusCode(201).extract();
        String project = created.path("id");
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (created.<String>path("public_key") + ":" + created.<String>path("secret_key")).getBytes(StandardCharsets.UTF_8));
        String session = "sess-" + run;
        String chat = "chat-" + run;
        String other = "summarise-" + run;
        Instant start = Instant.now().minusSeconds(300);
        List<String> events = new java.util.ArrayList<>(trace("t-chat-" + run, chat, "alice-" + run, session,
                "[\"browser\",\"<b>bold</b>\"]", "gpt-4o", start, 0.75));
        events.addAll(trace("t-other-" + run, other, "bob-" + run, session, "[\"browser\"]", "gpt-4o-mini", start.plusSeconds(60), 0.5));
        given().header("Authorization", basic).contentType(ContentType.JSON)
                .body("{\"batch\":[" + String.join(",", events) + "]}")
                .when().post("/api/public/ingestion")
                .then().statusCode(207).body("errors", hasSize(0));

        // stored by the stack's monitor: both trees whole, the generations priced, the scores in
        for (String trace : List.of("t-chat-" + run, "t-other-" + run)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    asAdmin().queryParam("project", project).when().get("/api/v1/llm/traces/{id}", trace)
                            .then().statusCode(200)
                            .body("observations[0].children[0].name", equalTo("answer"))
                            .body("observations[0].children[0].total_cost", org.hamcrest.Matchers.notNullValue())
                            .body("scores.name", hasItem("helpfulness")));
        }

        WebDriver browser;
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            browser = chromium.driver;
            WebDriverWait wait = HeadlessChromium.patientWait(browser);
            chromium.signIn(dashboard, wait);

            // the project picker, then the project's traces: both, newest first
            browser.findElement(By.id("llm-link")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr.project-row[data-project='" + project + "'] a"))).click();
            wait.until(ExpectedConditions.textToBe(By.id("project-name"), "dash-llm-" + run));
            assertThat(traceNames(browser)).containsExactly(other, chat);
            // a tag is shown as the text it is, not as markup
            assertThat(browser.findElement(By.cssSelector("tr.trace-row[data-trace='t-chat-" + run + "']")).getText())
                    .contains("<b>bold</b>");

            // a page at a time: the newest, then the next, then back to the first
            browser.get(browser.getCurrentUrl() + "?limit=1");
            wait.until(d -> traceNames(d).equals(List.of(other)));
            browser.findElement(By.id("next-page")).click();
            wait.until(d -> traceNames(d).equals(List.of(chat)));
            browser.findElement(By.id("first-page")).click();
            wait.until(d -> traceNames(d).equals(List.of(other)));
            browser.findElement(By.id("clear-filters")).click();
            wait.until(d -> traceNames(d).size() == 2);

            // filtered by name: only that trace; by user: only the other one
            filter(browser, "filter-name", chat);
            wait.until(d -> traceNames(d).equals(List.of(chat)));
            assertThat(browser.getCurrentUrl()).contains("name=" + chat);
            browser.findElement(By.id("filter-name")).clear();
            filter(browser, "filter-user", "bob-" + run);
            wait.until(d -> traceNames(d).equals(List.of(other)));
            chromium.screenshot("llm-traces.png");
            browser.findElement(By.id("filter-user")).clear();
            filter(browser, "filter-model", "gpt-4o");
            wait.until(d -> traceNames(d).equals(List.of(chat)));

            // the trace: the span holding the generation, with its model, tokens, cost and timing bar; the trace's score
            browser.findElement(By.cssSelector("tr.trace-row a.trace-name")).click();
            wait.until(ExpectedConditions.textToBe(By.id("trace-name"), chat));
            List<WebElement> nodes = browser.findElements(By.cssSelector("#observation-tree tr.observation"));
            assertThat(nodes).extracting(n -> n.getAttribute("data-observation"))
                    .containsExactly("t-chat-" + run + "-span", "t-chat-" + run + "-gen");
            assertThat(nodes).extracting(n -> n.getAttribute("data-depth")).containsExactly("0", "1");
            WebElement generation = nodes.get(1);
            assertThat(generation.getText()).contains("GENERATION", "answer", "prompt qa v2", "gpt-4o", "+500 ms", "1 s");
            assertThat(generation.findElement(By.cssSelector(".input-tokens")).getText()).isEqualTo("1000");
            assertThat(generation.findElement(By.cssSelector(".output-tokens")).getText()).isEqualTo("200");
            assertThat(generation.findElement(By.cssSelector(".total-tokens")).getText()).isEqualTo("1200");
            assertThat(generation.findElement(By.cssSelector(".cost")).getText()).matches("\\$0\\.\\d+");
            assertThat(generation.findElement(By.cssSelector(".bar")).getDomAttribute("style")).isEqualTo("left:25.00%;width:50.00%");
            assertThat(browser.findElement(By.id("scores")).getText()).contains("helpfulness", "0.75");
            chromium.screenshot("llm-trace.png");

            // its session: both traces
            browser.findElement(By.id("trace-session")).click();
            wait.until(ExpectedConditions.textToBe(By.id("session-id"), session));
            assertThat(browser.findElements(By.cssSelector("#session-traces tr.trace-row")))
                    .extracting(r -> r.getAttribute("data-trace")).containsExactlyInAnyOrder("t-chat-" + run, "t-other-" + run);
            chromium.screenshot("llm-session.png");

            // the sessions list leads back to it
            browser.findElement(By.id("nav-sessions")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.session-row[data-session='" + session + "'] a"))).click();
            wait.until(ExpectedConditions.textToBe(By.id("session-id"), session));

            // the scores page names the score, charted or (a monitor without score series yet) saying so
            browser.findElement(By.id("nav-scores")).click();
            WebElement score = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("section.score[data-score='helpfulness']")));
            List<WebElement> charts = score.findElements(By.cssSelector("canvas[data-chart]"));
            if (charts.isEmpty()) {
                assertThat(score.getText()).contains("score series not available");
            } else {
                wait.until(ExpectedConditions.attributeToBe(charts.getFirst(), "data-drawn", "yes"));
                assertThat(charts.getFirst().getAttribute("data-chart")).contains("qa v2");
            }
            chromium.screenshot("llm-scores.png");
        }
    }

    private static void filter(WebDriver browser, String field, String value) {
        WebElement input = browser.findElement(By.id(field));
        input.clear();
        input.sendKeys(value);
        browser.findElement(By.id("apply-filters")).click();
    }

    private static List<String> traceNames(WebDriver browser) {
        return browser.findElements(By.cssSelector("tr.trace-row a.trace-name")).stream().map(WebElement::getText).toList();
    }
}
