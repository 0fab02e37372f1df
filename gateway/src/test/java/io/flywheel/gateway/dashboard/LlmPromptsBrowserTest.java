package io.flywheel.gateway.dashboard;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The dashboard's prompt and experiment pages in headless Chromium, on what the test stack's real registry and retrain
 * hold: an LLM project made through this gateway, a prompt with two versions (the first labelled production, the
 * second staging, its template holding a script tag), a dataset of two questions and an experiment per version run by
 * retrain against the stack's LLM stub; then the prompt's versions, the second's template, the diff of the two, the
 * dataset's runs with their aggregates and the two runs compared. Saves screenshots to target/screenshots/.
 */
@QuarkusTest
class LlmPromptsBrowserTest {

    private static final String SCRIPT = "<script>document.title='owned'</script>";

    @TestHTTPResource("/dashboard")
    URL dashboard;

    @Test
    void reviewAPromptsVersionsTheirDiffAndTheExperimentsThatCompareThem() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String project = asAdmin().contentType(ContentType.JSON).body("{\"name\":\"dash-prompts-" + run + "\"}")
                .when().post("/api/v1/llm/projects").then().statusCode(201).extract().path("id");
        String prompt = "team/qa-" + run;
        version(project, Map.of("name", prompt, "type", "text", "prompt", "Answer the question: {{question}}",
                "config", Map.of("model", "stub-1", "temperature", 0.2), "labels", List.of("production"), "commit_message", "first cut"));
        version(project, Map.of("name", prompt, "prompt", "Answer with only the answer: {{question}}\n" + SCRIPT,
                "config", Map.of("model", "stub-1", "temperature", 0.0), "labels", List.of("staging"), "commit_message", "only the answer"));

        String dataset = "capitals-" + run;
        asAdmin().contentType(ContentType.JSON).body(Map.of("project", project, "name", dataset))
                .when().post("/api/v1/evaluation/datasets").then().statusCode(201);
        item(project, dataset, "fr-" + run, "What is the capital of France?", "Paris");
        item(project, dataset, "de-" + run, "What is the capital of Germany?", "Berlin");
        String chatty = experiment(project, dataset, "chatty-" + run, prompt, 1);
        String exact = experiment(project, dataset, "exact-" + run, prompt, 2);
        for (String id : List.of(chatty, exact)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    asAdmin().queryParam("project", project).when().get("/api/v1/evaluation/experiments/{id}", id)
                            .then().statusCode(200).body("status", equalTo("succeeded")));
        }

        try (HeadlessChromium chromium = new HeadlessChromium()) {
            WebDriver browser = chromium.driver;
            WebDriverWait wait = HeadlessChromium.patientWait(browser);
            chromium.signIn(dashboard, wait);

            // the project, its prompts: this one with its labels
            browser.findElement(By.id("llm-link")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr.project-row[data-project='" + project + "'] a"))).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.id("nav-prompts"))).click();
            WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.prompt-row[data-prompt='" + prompt + "']")));
            assertThat(row.findElement(By.cssSelector(".labels")).getText()).contains("production", "staging", "latest");

            // its versions, newest first, with labels, who and why
            row.findElement(By.cssSelector("a.prompt-name")).click();
            wait.until(ExpectedConditions.textToBe(By.id("prompt-name"), prompt));
            List<WebElement> versions = browser.findElements(By.cssSelector("tr.version-row"));
            assertThat(versions).extracting(v -> v.getAttribute("data-version")).containsExactly("2", "1");
            assertThat(versions.get(0).getText()).contains("staging", "latest", "only the answer", "bootstrap-admin");
            assertThat(versions.get(1).getText()).contains("production", "first cut");
            chromium.screenshot("llm-prompt-versions.png");

            // the second version: its template as text, the script shown and not run, the variable marked; its config
            versions.get(0).findElement(By.cssSelector("a.version-link")).click();
            WebElement template = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("template")));
            assertThat(template.getText()).isEqualTo("Answer with only the answer: {{question}}\n" + SCRIPT);
            assertThat(template.findElement(By.cssSelector(".var")).getText()).isEqualTo("{{question}}");
            assertThat(browser.getTitle()).doesNotContain("owned");
            assertThat(browser.findElement(By.id("config")).getText()).contains("\"model\" : \"stub-1\"", "\"temperature\" : 0.0");
            chromium.screenshot("llm-prompt-version.png");

            // the diff: v1 → v2 by default, the template's changed line and the config's temperature taken out and put in
            browser.findElement(By.id("back-to-versions")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.id("diff-link"))).click();
            wait.until(ExpectedConditions.textToBe(By.id("diff-title"), "v1 → v2"));
            assertThat(texts(browser, "#template-diff tr.diff-delete")).containsExactly("Answer the question: {{question}}");
            assertThat(texts(browser, "#template-diff tr.diff-insert")).containsExactly("Answer with only the answer: {{question}}", SCRIPT);
            assertThat(texts(browser, "#config-diff tr.diff-delete")).containsExactly("\"temperature\" : 0.2");
            assertThat(texts(browser, "#config-diff tr.diff-insert")).containsExactly("\"temperature\" : 0.0");
            chromium.screenshot("llm-prompt-diff.png");
            // chosen the other way round, the same lines change sides
            new Select(browser.findElement(By.id("diff-from"))).selectByValue("2");
            new Select(browser.findElement(By.id("diff-to"))).selectByValue("1");
            browser.findElement(By.id("show-diff")).click();
            wait.until(ExpectedConditions.textToBe(By.id("diff-title"), "v2 → v1"));
            assertThat(texts(browser, "#template-diff tr.diff-insert")).containsExactly("Answer the question: {{question}}");

            // the experiments: the dataset's two runs, succeeded, with their aggregates
            browser.findElement(By.id("nav-datasets")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr.dataset-row[data-dataset='" + dataset + "'] a"))).click();
            wait.until(ExpectedConditions.textToBe(By.id("dataset-name"), dataset));
            WebElement exactRow = browser.findElement(By.cssSelector("#runs tr.run-row[data-run='exact-" + run + "']"));
            WebElement chattyRow = browser.findElement(By.cssSelector("#runs tr.run-row[data-run='chatty-" + run + "']"));
            assertThat(exactRow.getText()).contains("succeeded", "2 / 2", prompt + " v2");
            assertThat(exactRow.findElement(By.cssSelector(".aggregates [data-score='exact_match'] .value")).getText()).isEqualTo("1");
            assertThat(chattyRow.findElement(By.cssSelector(".aggregates [data-score='exact_match'] .value")).getText()).isEqualTo("0");
            chromium.screenshot("llm-runs.png");

            // compared: per run the means and the delta against the baseline; per item the outputs with the diff marked
            // (the chatty run, listed second, marked as the baseline)
            chattyRow.findElement(By.cssSelector("input.choose-run")).click();
            exactRow.findElement(By.cssSelector("input.choose-run")).click();
            chattyRow.findElement(By.cssSelector("input.choose-baseline")).click();
            browser.findElement(By.id("compare-runs")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("summaries")));
            List<WebElement> summaries = browser.findElements(By.cssSelector("#summaries tr.summary-row"));
            assertThat(summaries).extracting(r -> r.getAttribute("data-run")).containsExactly("chatty-" + run, "exact-" + run);
            assertThat(summaries.get(1).findElement(By.cssSelector("[data-score='exact_match'] .value")).getText()).isEqualTo("1");
            assertThat(summaries.get(1).findElement(By.cssSelector("[data-score='exact_match'] .delta")).getText()).isEqualTo("+1");
            assertThat(summaries.get(1).getText()).contains("100%");
            assertThat(summaries.get(0).getText()).contains("0%");
            List<WebElement> items = browser.findElements(By.cssSelector("#compared-items tr.compared-item"));
            assertThat(items).extracting(i -> i.getAttribute("data-item")).containsExactlyInAnyOrder("fr-" + run, "de-" + run);
            WebElement france = browser.findElement(By.cssSelector("tr.compared-item[data-item='fr-" + run + "']"));
            assertThat(france.getAttribute("class")).contains("differs");
            assertThat(france.getText()).contains("What is the capital of France?", "Paris");
            // the exact run's "Paris" against the chatty sentence: the sentence's words taken out, "Paris" kept
            WebElement diffed = france.findElement(By.cssSelector("td.cell[data-run='exact-" + run + "'] pre.diffed"));
            assertThat(diffed.findElements(By.cssSelector("del.diff-delete"))).isNotEmpty();
            assertThat(diffed.getText()).contains("Great question!", "Paris");
            assertThat(france.findElement(By.cssSelector("td.cell[data-run='exact-" + run + "'] [data-score='exact_match'] .delta")).getText())
                    .isEqualTo("+1");
            chromium.screenshot("llm-compare.png");

            // a run's own page: its items and the prompt version it ran
            browser.get(dashboard.toString() + "/llm/" + project + "/experiments/" + exact);
            wait.until(ExpectedConditions.textToBe(By.id("run-name"), "exact-" + run));
            assertThat(browser.findElement(By.id("run-status")).getText()).isEqualTo("succeeded");
            assertThat(browser.findElements(By.cssSelector("#run-items tr.run-item"))).hasSize(2);
            assertThat(browser.findElement(By.id("run-prompt")).getText()).isEqualTo(prompt + " v2");
        }
    }

    private static void version(String project, Map<String, Object> body) {
        asAdmin().contentType(ContentType.JSON).queryParam("project", project).body(body)
                .when().post("/api/v1/prompts").then().statusCode(201);
    }

    private static void item(String project, String dataset, String id, String question, String expected) {
        asAdmin().contentType(ContentType.JSON).queryParam("project", project)
                .body(Map.of("id", id, "input", Map.of("question", question), "expected_output", expected))
                .when().post("/api/v1/evaluation/datasets/{name}/items", dataset).then().statusCode(201);
    }

    private static String experiment(String project, String dataset, String name, String prompt, int version) {
        return asAdmin().contentType(ContentType.JSON)
                .body(Map.of("project", project, "dataset", dataset, "run_name", name, "prompt", Map.of("name", prompt, "version", version),
                        "evaluators", List.of(Map.of("type", "exact_match"), Map.of("type", "string_similarity", "params", Map.of("method", "token_f1")))))
                .when().post("/api/v1/evaluation/experiments").then().statusCode(202).extract().path("id");
    }

    /** The text of each diff line's content cell (line numbers and marks left out). */
    private static List<String> texts(WebDriver browser, String rows) {
        return browser.findElements(By.cssSelector(rows)).stream().map(r -> r.findElement(By.cssSelector("pre")).getText().strip()).toList();
    }
}
