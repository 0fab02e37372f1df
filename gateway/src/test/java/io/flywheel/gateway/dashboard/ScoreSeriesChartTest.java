package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScoreSeriesChartTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode chart(String series) throws Exception {
        String chart = ScoreSeriesChart.chart(json, json.readTree(series));
        return chart == null ? null : json.readTree(chart);
    }

    @Test
    void aNumericScoreIsOneLineOfMeansPerPromptVersionWithGapsWhereAVersionHasNoScore() throws Exception {
        JsonNode chart = chart("""
                {"name": "helpfulness", "group_by": "prompt", "interval": "PT1H", "series": [
                  {"group": "qa v1", "prompt_name": "qa", "prompt_version": 1, "model": null, "points": [
                     {"start": "2026-12-06T10:00:00Z", "count": 3, "mean": 0.5, "categories": null},
                     {"start": "2026-12-06T11:00:00Z", "count": 1, "mean": 0.25, "categories": null}]},
                  {"group": "qa v2", "prompt_name": "qa", "prompt_version": 2, "model": null, "points": [
                     {"start": "2026-12-06T10:00:00Z", "count": 0, "mean": null, "categories": null},
                     {"start": "2026-12-06T12:00:00Z", "count": 2, "mean": 0.9, "categories": null},
                     {"start": "2026-12-06T11:00:00Z", "count": 4, "mean": 0.75, "categories": null}]}]}""");
        assertThat(chart.path("labels").toString())
                .isEqualTo("[\"2026-12-06T10:00:00Z\",\"2026-12-06T11:00:00Z\",\"2026-12-06T12:00:00Z\"]");
        assertThat(chart.path("datasets").findValuesAsText("label")).containsExactly("qa v1", "qa v2");
        assertThat(chart.path("datasets").get(0).path("data").toString()).isEqualTo("[0.5,0.25,null]");
        assertThat(chart.path("datasets").get(1).path("data").toString()).isEqualTo("[null,0.75,0.9]");
        assertThat(chart.path("datasets").get(0).path("borderColor").asText())
                .isNotEqualTo(chart.path("datasets").get(1).path("borderColor").asText());
    }

    @Test
    void aCategoricalScoreIsOneLineOfCountsPerModelAndCategory() throws Exception {
        JsonNode chart = chart("""
                {"name": "verdict", "group_by": "model", "interval": "PT1H", "series": [
                  {"group": "gpt-4o", "prompt_name": null, "prompt_version": null, "model": "gpt-4o", "points": [
                     {"start": "2026-12-06T10:00:00Z", "count": 3, "mean": null, "categories": {"good": 2, "bad": 1}},
                     {"start": "2026-12-06T11:00:00Z", "count": 1, "mean": null, "categories": {"good": 1}}]}]}""");
        assertThat(chart.path("datasets").findValuesAsText("label")).containsExactly("gpt-4o: good", "gpt-4o: bad");
        assertThat(chart.path("datasets").get(0).path("data").toString()).isEqualTo("[2.0,1.0]");
        assertThat(chart.path("datasets").get(1).path("data").toString()).isEqualTo("[1.0,null]");
    }

    @Test
    void seriesWithoutPointsOrWithoutSeriesDrawNothing() throws Exception {
        assertThat(chart("{\"name\": \"x\", \"series\": []}")).isNull();
        assertThat(chart("{\"name\": \"x\", \"series\": [{\"group\": \"m\", \"points\": []}]}")).isNull();
        assertThat(chart("{\"status\": 404}")).isNull();
        assertThat(ScoreSeriesChart.chart(json, null)).isNull();
    }
}
