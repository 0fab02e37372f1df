package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PromptsViewTest {

    private final ObjectMapper json = new ObjectMapper();

    private static final String VERSIONS = """
            {"items": [
              {"project": "p1", "name": "team/qa", "version": 3, "type": "text", "prompt": "Answer {{ question }} <script>alert(1)</script>",
               "config": {"model": "stub-1"}, "labels": ["latest", "staging"], "tags": ["qa"], "commit_message": "shorter",
               "experiment_id": "run 7", "created_by": "admin", "created_at": "2026-12-07T05:00:00Z"},
              {"project": "p1", "name": "team/qa", "version": 1, "type": "text", "prompt": "Answer {{question}}", "config": {},
               "labels": ["production"], "tags": ["qa"], "created_by": "admin", "created_at": "2026-12-06T05:00:00Z"}],
             "next_cursor": null}""";

    @Test
    void promptsListTheirNewestVersionLabelsAndTagsWithLinksThatEncodeTheName() throws Exception {
        var rows = PromptsView.prompts("p 1", json.readTree("""
                [{"project": "p 1", "name": "team/qa & more", "type": "chat", "versions": [4, 3, 1], "labels": ["latest", "production"],
                  "tags": ["a", "b"], "updated_at": "2026-12-07T05:00:00Z"}]"""));
        assertThat(rows).hasSize(1);
        PromptsView.PromptRow row = rows.getFirst();
        assertThat(row.latest()).isEqualTo("4");
        assertThat(row.versions()).isEqualTo(3);
        assertThat(row.labels()).containsExactly("latest", "production");
        assertThat(row.tags()).isEqualTo("a, b");
        assertThat(row.link()).isEqualTo("/dashboard/llm/p%201/prompts/versions?name=team%2Fqa+%26+more");
    }

    @Test
    void versionsNewestFirstLinkToThemselvesTheirExperimentAndTheirDiffWithTheOneBefore() throws Exception {
        var rows = PromptsView.versions("p1", "team/qa", json.readTree(VERSIONS).path("items"));
        assertThat(rows).extracting(PromptsView.VersionRow::version).containsExactly(3, 1);
        assertThat(rows.getFirst().link()).isEqualTo("/dashboard/llm/p1/prompts/version?name=team%2Fqa&version=3");
        assertThat(rows.getFirst().diffLink()).isEqualTo("/dashboard/llm/p1/prompts/diff?name=team%2Fqa&from=1&to=3");
        assertThat(rows.getFirst().experimentLink()).isEqualTo("/dashboard/llm/p1/experiments/run%207");
        assertThat(rows.getFirst().commitMessage()).isEqualTo("shorter");
        assertThat(rows.get(1).diffLink()).isNull();
        assertThat(rows.get(1).experimentLink()).isNull();
        assertThat(rows.get(1).labels()).containsExactly("production");
    }

    @Test
    void aTextTemplateIsCutAtItsVariablesAndKeepsEverythingElseAsWritten() throws Exception {
        PromptsView.VersionDetail v = PromptsView.version("p1", json.readTree(VERSIONS).path("items").get(0));
        assertThat(v.chat()).isFalse();
        assertThat(v.text()).containsExactly(new PromptsView.Segment("Answer ", false), new PromptsView.Segment("{{ question }}", true),
                new PromptsView.Segment(" <script>alert(1)</script>", false));
        assertThat(v.variables()).containsExactly("question");
        assertThat(v.config()).contains("\"model\" : \"stub-1\"");
        assertThat(v.labels()).containsExactly("latest", "staging");
    }

    @Test
    void aChatTemplateIsItsMessagesAndPlaceholders() throws Exception {
        PromptsView.VersionDetail v = PromptsView.version("p1", json.readTree("""
                {"name": "chat", "version": 2, "type": "chat", "prompt": [
                  {"role": "system", "content": "You know {{topic}}."}, {"type": "placeholder", "name": "history"},
                  {"role": "user", "content": "{{question}} and {{topic}}"}], "config": {"temperature": 0}}"""));
        assertThat(v.chat()).isTrue();
        assertThat(v.messages()).extracting(PromptsView.Message::role).containsExactly("system", null, "user");
        assertThat(v.messages().get(1).placeholder()).isEqualTo("history");
        assertThat(v.messages().get(2).content()).extracting(PromptsView.Segment::variable).containsExactly(true, false, true);
        assertThat(v.variables()).containsExactly("topic", "question");
    }

    @Test
    void segmentsWithoutVariablesAreTheWholeText() {
        List<String> variables = new ArrayList<>();
        assertThat(PromptsView.segments("no {variables} here {{ }}", variables))
                .containsExactly(new PromptsView.Segment("no {variables} here {{ }}", false));
        assertThat(variables).isEmpty();
        assertThat(PromptsView.segments("", variables)).isEmpty();
    }

    @Test
    void theRegistrysPathKeepsTheFoldersAndEncodesEachPart() {
        assertThat(PromptsView.registryPath("team a/qa?x")).isEqualTo("/api/v1/prompts/team%20a/qa%3Fx");
    }
}
