package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LlmViewTest {

    private final ObjectMapper json = new ObjectMapper();

    /** A trace of 2 s: a span from 0 to 2 s holding a generation from 0.5 s to 1.5 s, and an event with no end. */
    private static final String TRACE = """
            {"id": "t1", "name": "chat", "timestamp": "2026-12-06T10:00:00Z", "session_id": "s 1", "user_id": "u1",
             "tags": ["a", "b"], "latency_ms": 2000.0,
             "totals": {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15, "total_cost": 0.000125},
             "observations": [
               {"id": "span-1", "type": "SPAN", "name": "retrieve", "start_time": "2026-12-06T10:00:00Z",
                "end_time": "2026-12-06T10:00:02Z", "children": [
                  {"id": "gen-1", "type": "GENERATION", "name": "answer", "model": "gpt-4o", "prompt_name": "qa", "prompt_version": 3,
                   "start_time": "2026-12-06T10:00:00.500Z", "end_time": "2026-12-06T10:00:01.500Z",
                   "input_tokens": 10, "output_tokens": 5, "total_tokens": 15, "total_cost": 0.000125, "cost_source": "calculated",
                   "children": []}]},
               {"id": "ev-1", "type": "EVENT", "name": "done", "start_time": "2026-12-06T10:00:02Z", "children": []}],
             "scores": [{"name": "quality", "value": 0.9, "data_type": "NUMERIC", "trace_id": "t1"},
                        {"name": "verdict", "string_value": "good", "data_type": "CATEGORICAL", "observation_id": "gen-1"}]}""";

    @Test
    void theTreeIsWalkedDepthFirstWithOffsetsDurationsAndBarsOnTheTracesSpan() throws Exception {
        List<LlmView.TreeRow> rows = LlmView.tree(json.readTree(TRACE));
        assertThat(rows).extracting(LlmView.TreeRow::id).containsExactly("span-1", "gen-1", "ev-1");
        assertThat(rows).extracting(LlmView.TreeRow::depth).containsExactly(0, 1, 0);
        LlmView.TreeRow generation = rows.get(1);
        assertThat(generation.offset()).isEqualTo("+500 ms");
        assertThat(generation.duration()).isEqualTo("1 s");
        assertThat(generation.barLeft()).isCloseTo(25.0, within(1e-9));
        assertThat(generation.barWidth()).isCloseTo(50.0, within(1e-9));
        assertThat(generation.bar()).isEqualTo("left:25.00%;width:50.00%");
        assertThat(generation.model()).isEqualTo("gpt-4o");
        assertThat(generation.prompt()).isEqualTo("qa v3");
        assertThat(List.of(generation.inputTokens(), generation.outputTokens(), generation.totalTokens())).containsExactly("10", "5", "15");
        assertThat(generation.cost()).isEqualTo("$0.000125");
        assertThat(generation.typeClass()).isEqualTo("generation");
        assertThat(rows.get(0).bar()).isEqualTo("left:0.00%;width:100.00%");
        // an observation without an end has no duration, and no bar to speak of
        assertThat(rows.get(2).duration()).isEmpty();
        assertThat(rows.get(2).barWidth()).isZero();
    }

    @Test
    void traceRowsLinkToTheTraceAndItsSessionWithTheirIdsEncoded() throws Exception {
        JsonNode trace = json.readTree(TRACE);
        LlmView.TraceRow row = LlmView.traces("p/1", json.createArrayNode().add(trace)).getFirst();
        assertThat(row.link()).isEqualTo("/dashboard/llm/p%2F1/traces/t1");
        assertThat(row.sessionLink()).isEqualTo("/dashboard/llm/p%2F1/sessions/s%201");
        assertThat(row.tags()).isEqualTo("a, b");
        assertThat(row.tokens()).isEqualTo("10 → 5 (15)");
        assertThat(row.latency()).isEqualTo("2 s");
    }

    @Test
    void scoresShowTheirValueAndWhatTheyScore() throws Exception {
        List<LlmView.ScoreRow> scores = LlmView.scores(json.readTree(TRACE).path("scores"));
        assertThat(scores).extracting(LlmView.ScoreRow::value).containsExactly("0.9", "good");
        assertThat(scores).extracting(LlmView.ScoreRow::target).containsExactly("trace t1", "observation gen-1");
        assertThat(LlmView.scoreNames(json.readTree(TRACE).path("scores"))).containsExactly("quality", "verdict");
    }

    @Test
    void theMonitorsQueryCarriesTheFiltersGivenTheRangeAndTheCursor() {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("name", "chat & more");
        filters.put("tags", "a, b");
        filters.put("user_id", " ");
        filters.put("min_cost", "0.01");
        filters.put("unknown", "ignored");
        filters.put("limit", "1");
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        assertThat(LlmView.query("p1", filters, "24h", "abc=", now))
                .isEqualTo("project=p1&name=chat+%26+more&tags=a&tags=b&min_cost=0.01&limit=1&from=2026-12-05T12%3A00%3A00Z&cursor=abc%3D");
        filters.put("from", "2026-12-06T00:00:00Z");
        assertThat(LlmView.query("p1", filters, "24h", null, now)).contains("&from=2026-12-06T00%3A00%3A00Z").doesNotContain("2026-12-05");
        assertThat(LlmView.listLink("/dashboard/llm/p1", Map.of("name", "chat"), "7d", "c1"))
                .isEqualTo("/dashboard/llm/p1?name=chat&range=7d&cursor=c1");
    }

    @Test
    void aRangesScoreSeriesStartsOnAMultipleOfItsInterval() {
        Instant now = Instant.parse("2026-12-06T12:34:56.789Z");
        assertThat(LlmView.seriesInterval("24h")).hasHours(1);
        assertThat(LlmView.seriesFrom(now, "24h")).isEqualTo("2026-12-05T12:00:00Z");
        assertThat(LlmView.seriesFrom(now, "1h")).isEqualTo("2026-12-06T11:30:00Z");
        assertThat(LlmView.seriesFrom(now, "7d")).isEqualTo("2026-11-29T12:00:00Z");
        assertThat(LlmView.seriesFrom(now, "30d")).isEqualTo("2026-11-06T00:00:00Z");
    }
}
