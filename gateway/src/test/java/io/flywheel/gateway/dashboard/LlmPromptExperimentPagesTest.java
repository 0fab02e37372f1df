package io.flywheel.gateway.dashboard;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prompt and experiment pages as the gateway renders them (its resources and Qute templates), on fixed answers of
 * a stub registry and retrain ({@link LlmServicesStub}) full of markup: every piece of it must arrive as text, never
 * as markup, and the pages must ask the services the right paths with the caller's internal token.
 */
@QuarkusTest
@QuarkusTestResource(value = LlmServicesStub.class, restrictToAnnotatedClass = true)
class LlmPromptExperimentPagesTest {

    private static String page(String path) {
        return asAdmin().when().get(path).then().statusCode(200).contentType("text/html").extract().asString();
    }

    /** No markup of the stub's reached the page: each hostile string is there only escaped. */
    private static void escaped(String html) {
        assertThat(html).doesNotContain("<script>alert", "<b>tag</b>", "<i>odd</i>", "<u>Paris</u>", "<em>capitals</em>", "<b>nope</b>",
                "exact<script>", "<b>capital</b>");
    }

    @Test
    void thePromptsListShowsLabelsAndTagsAsText() {
        String html = page("/dashboard/llm/p1/prompts?label=staging");
        escaped(html);
        assertThat(html).contains("data-prompt=\"team/qa\"", "href=\"/dashboard/llm/p1/prompts/versions?name=team%2Fqa\"",
                "<span class=\"label label-production\">production</span>", "&lt;b&gt;tag&lt;/b&gt;", "id=\"nav-prompts\"");
        assertThat(LlmServicesStub.SEEN).contains("/api/v1/prompts?project=p1&label=staging (token)");
        page("/dashboard/llm/p1/prompts?tag=qa&prefix=team/&label=staging");
        assertThat(LlmServicesStub.SEEN).contains("/api/v1/prompts?project=p1&prefix=team%2F&label=staging&tag=qa (token)");
    }

    @Test
    void aPromptsVersionsNewestFirstWithLabelsWhoWhenWhyAndTheirExperiment() {
        String html = page("/dashboard/llm/p1/prompts/versions?name=team/qa");
        escaped(html);
        assertThat(html.indexOf("data-version=\"2\"")).isPositive().isLessThan(html.indexOf("data-version=\"1\""));
        assertThat(html).contains("only the answer &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "&lt;i&gt;odd&lt;/i&gt;",
                "href=\"/dashboard/llm/p1/experiments/run-2\"", "href=\"/dashboard/llm/p1/prompts/diff?name=team%2Fqa&amp;from=1&amp;to=2\"");
        assertThat(LlmServicesStub.SEEN).contains("/api/v1/prompts/team/qa/versions?project=p1 (token)");
    }

    @Test
    void aVersionsTemplateIsTextWithItsVariablesMarkedAndItsConfigIndented() {
        String html = page("/dashboard/llm/p1/prompts/version?name=team/qa&version=2");
        escaped(html);
        assertThat(html).contains("Answer with only the answer: <span class=\"var\">{{question}}</span>\n&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
                "&quot;temperature&quot; : 0.7", "<code>question</code>");
        assertThat(LlmServicesStub.SEEN).contains("/api/v1/prompts/team/qa?project=p1&version=2 (token)");
    }

    @Test
    void aChatVersionIsItsMessagesAndPlaceholdersAsText() {
        String html = page("/dashboard/llm/p1/prompts/version?name=team/chat");
        escaped(html);
        assertThat(html).doesNotContain("<img", "<b>history</b>", "<i>user</i>");
        assertThat(html).contains("<span class=\"role\">system</span><pre class=\"template\">You answer about <span class=\"var\">{{topic}}</span>. &lt;img src=x onerror=alert(3)&gt;</pre>",
                "placeholder <code>&lt;b&gt;history&lt;/b&gt;</code>", "<span class=\"role\">&lt;i&gt;user&lt;/i&gt;</span>",
                "<code>topic</code>, <code>question</code>");
        assertThat(LlmServicesStub.SEEN).contains("/api/v1/prompts/team/chat?project=p1&label=latest (token)");
    }

    @Test
    void theDiffOfTwoVersionsMarksTheLinesTakenOutAndPutIn() {
        String html = page("/dashboard/llm/p1/prompts/diff?name=team/qa&from=1&to=2");
        escaped(html);
        assertThat(html).contains("<tr class=\"diff-delete\">", "<pre>Answer: {{question}}</pre>",
                "<tr class=\"diff-insert\">", "<pre>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</pre>",
                "<pre>  &quot;temperature&quot; : 0.2</pre>", "<pre>  &quot;temperature&quot; : 0.7</pre>",
                "<option value=\"1\" selected>", "<option value=\"2\" selected>");
    }

    @Test
    void aMissingPromptIsTheRegistrysAnswerAsText() {
        String html = page("/dashboard/llm/p1/prompts/version?name=nope");
        escaped(html);
        assertThat(html).contains("registry-service answered 404: Prompt not found: &lt;b&gt;nope&lt;/b&gt;");
        assertThat(page("/dashboard/llm/p1/prompts/versions")).contains("no prompt named");
    }

    @Test
    void datasetsAndRunsShowStatusProgressAndAggregates() {
        String datasets = page("/dashboard/llm/p1/datasets");
        escaped(datasets);
        assertThat(datasets).contains("href=\"/dashboard/llm/p1/datasets/runs?name=capitals\"", "&lt;em&gt;capitals&lt;/em&gt;",
                "data-run=\"exact&lt;script&gt;\"", "status-succeeded");
        String runs = page("/dashboard/llm/p1/datasets/runs?name=capitals");
        escaped(runs);
        assertThat(runs).contains("1 / 1", "<span class=\"name\">exact_match</span> <span class=\"value\">1</span>", "team/qa v2",
                "value=\"exact&lt;script&gt;\" class=\"choose-run\"");
        assertThat(LlmServicesStub.SEEN).contains("/api/v1/evaluation/datasets/capitals/runs/exact%3Cscript%3E?project=p1 (token)");
    }

    @Test
    void anExperimentShowsItsItemsOutputsAsText() {
        String html = page("/dashboard/llm/p1/experiments/run-2");
        escaped(html);
        assertThat(html).contains("&lt;script&gt;alert(2)&lt;/script&gt;Paris", "id=\"run-status\"", "pass");
    }

    @Test
    void aComparisonShowsEachOutputsWordDiffScoresAndDeltasSideBySide() {
        String html = page("/dashboard/llm/p1/datasets/compare?name=capitals&runs=chatty&runs=exact<script>");
        escaped(html);
        assertThat(html).contains("<del class=\"diff-delete\">I think &lt;u&gt;</del>Paris<del class=\"diff-delete\">&lt;/u&gt;.</del>",
                "<span class=\"delta up\">+1</span>", "100%", "&lt;b&gt;capital&lt;/b&gt; of France?");
        assertThat(LlmServicesStub.SEEN).contains("/api/v1/evaluation/datasets/capitals/runs/compare?project=p1&runs=chatty%2Cexact%3Cscript%3E (token)");
        assertThat(page("/dashboard/llm/p1/datasets/compare?name=capitals&runs=chatty")).contains("choose two or more runs");
        // a baseline marked apart is compared first
        page("/dashboard/llm/p1/datasets/compare?name=capitals&runs=exact<script>&baseline=chatty");
        assertThat(LlmServicesStub.SEEN).contains("/api/v1/evaluation/datasets/capitals/runs/compare?project=p1&runs=chatty%2Cexact%3Cscript%3E (token)");
        assertThat(LlmServicesStub.SEEN).filteredOn(u -> u.contains("/runs/compare")).allMatch(u -> u.contains("runs=chatty%2C"));
    }
}
