package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExperimentsViewTest {

    private final ObjectMapper json = new ObjectMapper();

    /** retrain's comparison of two runs over two items: the second run answers one item differently and scores better. */
    private static final String COMPARISON = """
            {"project": "p1", "dataset": "capitals", "runs": ["chatty", "exact"],
             "summaries": [
               {"run": "chatty", "items": 2, "failed": 0, "mean_scores": {"exact_match": 0.0, "similarity": 0.25}, "pass_rate": 0.0,
                "total_tokens": 80, "mean_latency_ms": 12.5, "mean_score_deltas": {}},
               {"run": "exact", "items": 2, "failed": 1, "mean_scores": {"exact_match": 1.0, "similarity": 1.0}, "pass_rate": 1.0,
                "total_tokens": 30, "mean_latency_ms": 8.0, "mean_score_deltas": {"exact_match": 1.0, "similarity": 0.75}}],
             "items": [
               {"item_id": "i1", "input": {"question": "capital of France?"}, "expected_output": "Paris",
                "runs": [{"run": "chatty", "output": "I think it is Paris.", "scores": {"exact_match": {"type": "BOOLEAN", "value": 0.0},
                           "similarity": {"type": "NUMERIC", "value": 0.25}}, "latency_ms": 12, "total_tokens": 40},
                         {"run": "exact", "output": "Paris", "scores": {"exact_match": {"type": "BOOLEAN", "value": 1.0},
                           "similarity": {"type": "NUMERIC", "value": 1.0}}, "latency_ms": 8, "total_tokens": 15}],
                "score_deltas": {"exact": {"exact_match": 1.0, "similarity": 0.75}}, "outputs_differ": true,
                "diffs": [{"run": "exact", "against": "chatty", "differs": true,
                           "lines": [{"op": "delete", "text": "I think it is Paris."}, {"op": "insert", "text": "Paris"}],
                           "words": [{"op": "delete", "text": "I think it is "}, {"op": "equal", "text": "Paris"},
                                     {"op": "delete", "text": "."}, {"op": "<script>", "text": "<b>x</b>"}]}]},
               {"item_id": "i2", "input": "capital of Germany?", "expected_output": "Berlin",
                "runs": [{"run": "chatty", "output": "Berlin", "scores": {}}, {"run": "exact", "output": null, "scores": {},
                          "error": "the endpoint answered 500"}],
                "score_deltas": {"exact": {}}, "outputs_differ": true,
                "diffs": [{"run": "exact", "against": "chatty", "differs": true, "lines": [], "words": []}]}]}""";

    @Test
    void theComparisonPutsEachRunsOutputScoresAndDeltasSideBySideWithTheBaselineFirst() throws Exception {
        ExperimentsView.Comparison c = ExperimentsView.comparison(json.readTree(COMPARISON));
        assertThat(c.runs()).containsExactly("chatty", "exact");
        ExperimentsView.ItemRow first = c.items().getFirst();
        assertThat(first.input()).isEqualTo("{\"question\":\"capital of France?\"}");
        assertThat(first.expected()).isEqualTo("Paris");
        assertThat(first.outputsDiffer()).isTrue();
        ExperimentsView.Cell baseline = first.cells().get(0);
        ExperimentsView.Cell exact = first.cells().get(1);
        assertThat(baseline.baseline()).isTrue();
        assertThat(baseline.diff()).isEmpty();
        assertThat(baseline.scores()).extracting(ExperimentsView.Figure::value).containsExactly("fail", "0.25");
        assertThat(exact.differs()).isTrue();
        // the word diff as retrain computed it; an operation it does not name reads as unchanged text
        assertThat(exact.diff()).extracting(ExperimentsView.DiffPart::op).containsExactly("delete", "equal", "delete", "equal");
        assertThat(exact.scores()).extracting(ExperimentsView.Figure::value).containsExactly("pass", "1");
        assertThat(exact.scores()).extracting(ExperimentsView.Figure::delta).containsExactly("+1", "+0.75");
        assertThat(exact.scores()).extracting(ExperimentsView.Figure::trend).containsExactly("up", "up");
        assertThat(exact.latency()).isEqualTo("8 ms");
        assertThat(c.items().get(1).cells().get(1).error()).isEqualTo("the endpoint answered 500");
    }

    @Test
    void theSummariesCarryEachRunsMeansWithTheirDeltasPassRateTokensAndLatency() throws Exception {
        List<ExperimentsView.SummaryRow> s = ExperimentsView.comparison(json.readTree(COMPARISON)).summaries();
        assertThat(s).extracting(ExperimentsView.SummaryRow::baseline).containsExactly(true, false);
        assertThat(s.get(0).means()).extracting(ExperimentsView.Figure::delta).containsExactly("", "");
        assertThat(s.get(1).means()).extracting(ExperimentsView.Figure::value).containsExactly("1", "1");
        assertThat(s.get(1).means()).extracting(ExperimentsView.Figure::delta).containsExactly("+1", "+0.75");
        assertThat(s.get(1).passRate()).isEqualTo("100%");
        assertThat(s.get(0).passRate()).isEqualTo("0%");
        assertThat(s.get(1).failed()).isEqualTo(1);
        assertThat(s.get(1).tokens()).isEqualTo("30");
        assertThat(s.get(0).latency()).isEqualTo("12.5 ms");
    }

    @Test
    void aRunsAggregatesAreItsScoresMeansOverTheItemsThatDidNotFail() throws Exception {
        ExperimentsView.Aggregate a = ExperimentsView.aggregate(json.readTree("""
                [{"output": "Paris", "scores": [{"name": "exact_match", "type": "BOOLEAN", "value": 1.0},
                                                {"name": "tone", "type": "CATEGORICAL", "value": 0, "category": "dry"}],
                  "latency_ms": 10, "total_tokens": 12},
                 {"output": "Rome", "scores": [{"name": "exact_match", "type": "BOOLEAN", "value": 0.0},
                                               {"name": "judge", "error": "no answer"}], "latency_ms": 30, "total_tokens": 8},
                 {"output": null, "scores": [], "error": "the endpoint answered 500"}]"""));
        assertThat(a.items()).isEqualTo(3);
        assertThat(a.failed()).isEqualTo(1);
        assertThat(a.means()).extracting(ExperimentsView.Figure::name).containsExactly("exact_match");
        assertThat(a.means()).extracting(ExperimentsView.Figure::value).containsExactly("0.5");
        assertThat(a.tokens()).isEqualTo("20");
        assertThat(a.latency()).isEqualTo("20 ms");
    }

    @Test
    void runsShowStatusProgressAndThePromptVersionTheyRanLinkedToItsPage() throws Exception {
        var rows = ExperimentsView.runs("p1", json.readTree("""
                [{"id": "r1", "dataset": "team/capitals", "name": "v2-run", "status": "partial",
                  "progress": {"total": 4, "done": 4, "failed": 1}, "prompt": {"name": "team/qa", "version": 2, "label": "staging"},
                  "model": "stub-1", "created_at": "2026-12-07T05:00:00Z"},
                 {"id": "r2", "dataset": "team/capitals", "name": "sdk-run", "status": null, "progress": null, "prompt": null}]"""),
                Map.of("v2-run", new ExperimentsView.Aggregate(4, 1, List.of(new ExperimentsView.Figure("exact_match", "1", "", "")), "20", "5 ms")));
        assertThat(rows.get(0).progress()).isEqualTo("4 / 4 (1 failed)");
        assertThat(rows.get(0).statusClass()).isEqualTo("status-partial");
        assertThat(rows.get(0).prompt()).isEqualTo("team/qa v2 (staging)");
        assertThat(rows.get(0).promptLink()).isEqualTo("/dashboard/llm/p1/prompts/version?name=team%2Fqa&version=2");
        assertThat(rows.get(0).link()).isEqualTo("/dashboard/llm/p1/experiments/r1");
        assertThat(rows.get(0).datasetLink()).isEqualTo("/dashboard/llm/p1/datasets/runs?name=team%2Fcapitals");
        assertThat(rows.get(0).aggregate().means()).hasSize(1);
        assertThat(rows.get(1).status()).isEmpty();
        assertThat(rows.get(1).progress()).isEmpty();
        assertThat(rows.get(1).aggregate()).isEqualTo(ExperimentsView.Aggregate.NONE);
    }

    @Test
    void linksAndRetrainsPathsEncodeNamesAndKeepFolders() {
        assertThat(ExperimentsView.compareLink("p1", "a/b", List.of("run 1", "x&y")))
                .isEqualTo("/dashboard/llm/p1/datasets/compare?name=a%2Fb&runs=run+1&runs=x%26y");
        assertThat(ExperimentsView.datasetPath("team a/caps")).isEqualTo("/api/v1/evaluation/datasets/team%20a/caps");
    }
}
