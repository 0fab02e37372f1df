package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DriftChartTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode node(String text) throws Exception {
        return json.readTree(text);
    }

    @Test
    void everyTestScoresOneAtItsThreshold() throws Exception {
        assertThat(ModelView.driftScore(node("{\"statistic\": 0.1, \"threshold\": 0.1}"))).isCloseTo(1.0, within(1e-12));
        assertThat(ModelView.driftScore(node("{\"statistic\": 0.3, \"pvalue\": 0.05, \"threshold\": 0.05}"))).isCloseTo(1.0, within(1e-12));
        // a distance past its threshold, a p-value well under alpha, and one that says nothing happened
        assertThat(ModelView.driftScore(node("{\"statistic\": 0.15, \"threshold\": 0.1}"))).isCloseTo(1.5, within(1e-12));
        assertThat(ModelView.driftScore(node("{\"statistic\": 0.2, \"pvalue\": 0.0025, \"threshold\": 0.05}"))).isCloseTo(2.0, within(1e-12));
        assertThat(ModelView.driftScore(node("{\"statistic\": 0.01, \"pvalue\": 1.0, \"threshold\": 0.05}"))).isZero();
    }

    @Test
    void scoresAreCappedAndBrokenResultsAreGaps() throws Exception {
        assertThat(ModelView.driftScore(node("{\"statistic\": 0.39, \"pvalue\": 6.5e-72, \"threshold\": 0.05}"))).isEqualTo(ModelView.SCORE_CAP);
        assertThat(ModelView.driftScore(node("{\"statistic\": 0.39, \"pvalue\": 0.0, \"threshold\": 0.05}"))).isEqualTo(ModelView.SCORE_CAP);
        assertThat(ModelView.driftScore(node("{\"statistic\": 0.39}"))).isNaN();
    }

    @Test
    void theChartHasOneLinePerFeatureAndTheThresholdLine() throws Exception {
        JsonNode series = node("""
                {"windows": [
                  {"window_end": "2026-11-26T10:00:00Z", "features": {
                     "calls": {"decided_by": ["ks"], "tests": {"ks": {"statistic": 0.4, "pvalue": 0.0025, "threshold": 0.05}}},
                     "plan": {"tests": {"psi": {"statistic": 0.05, "threshold": 0.1}}}}},
                  {"window_end": "2026-11-26T10:10:00Z", "features": {
                     "calls": {"decided_by": ["ks"], "tests": {"ks": {"statistic": 0.1, "pvalue": 0.5, "threshold": 0.05}}}}}]}""");
        JsonNode chart = json.readTree(ModelView.chart(json, new ServiceCalls.Answer(200, series, null), "features"));
        assertThat(chart.path("labels")).hasSize(2);
        assertThat(chart.path("datasets").findValuesAsText("label")).containsExactly("calls (ks)", "plan (psi)", "threshold");
        assertThat(chart.path("datasets").get(0).path("data").get(0).asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(chart.path("datasets").get(1).path("data").get(0).asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(chart.path("datasets").get(2).path("data").get(1).asDouble()).isEqualTo(1.0);
    }
}
