package io.flywheel.retrain.modeltest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModelTestReportTest {

    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private static final ModelTestReport.Result SLICE = ModelTestReport.Result.pass("slice plan=pro roc_auc", ModelTestReport.SLICE, 0.8123456789,
            ">= 0.6", "roc_auc 0.812346 on the 30 holdout rows where plan is pro");
    private static final ModelTestReport.Result SKIPPED = ModelTestReport.Result.skip("slice plan=team roc_auc", ModelTestReport.SLICE,
            ">= 0.6", "skipped: only 3 holdout rows where plan is team, fewer than min_rows 20");
    private static final ModelTestReport.Result WRONG_WAY = ModelTestReport.Result.fail("directional x1 +1 decrease", ModelTestReport.DIRECTIONAL,
            0.0, "the score falls on at least 100% of rows", "moving x1 by +1 lowered the score on 0 of 60 holdout rows (0%)");

    @Test
    void aReportPassesWhenNothingFailedAndSaysWhatWasSkipped() {
        ModelTestReport report = ModelTestReport.of(List.of(SLICE, SKIPPED));

        assertThat(report.passed()).isTrue();
        assertThat(report.total()).isEqualTo(2);
        assertThat(report.failed()).isZero();
        assertThat(report.skipped()).isEqualTo(1);
        assertThat(report.summary()).isEqualTo("all 2 model tests passed (1 skipped)");
        assertThat(report.lines()).containsExactly(
                "model tests: all 2 model tests passed (1 skipped)",
                "PASS slice plan=pro roc_auc: roc_auc 0.812346 on the 30 holdout rows where plan is pro (measured 0.812346, expected >= 0.6)",
                "SKIP slice plan=team roc_auc: skipped: only 3 holdout rows where plan is team, fewer than min_rows 20");
    }

    @Test
    void aFailedTestFailsTheReportAndIsNamedInItsSummary() {
        ModelTestReport report = ModelTestReport.of(List.of(SLICE, WRONG_WAY));

        assertThat(report.passed()).isFalse();
        assertThat(report.summary()).isEqualTo("1 of 2 model tests failed: directional x1 +1 decrease");
        assertThat(report.lines()).contains("FAIL directional x1 +1 decrease: moving x1 by +1 lowered the score on 0 of 60 holdout rows (0%) "
                + "(measured 0, expected the score falls on at least 100% of rows)");
    }

    @Test
    void theSummaryNamesTenFailuresAndCountsTheRest() {
        List<ModelTestReport.Result> results = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            results.add(ModelTestReport.Result.fail("example " + i, ModelTestReport.EXAMPLE, 0.1, "class 1 (positive)", "class 0"));
        }
        assertThat(ModelTestReport.of(results).summary()).isEqualTo("12 of 12 model tests failed: example 1; example 2; example 3; example 4; "
                + "example 5; example 6; example 7; example 8; example 9; example 10; and 2 more");
    }

    @Test
    void theReportIsStoredAsSnakeCaseJsonAndReadBack() throws Exception {
        ModelTestReport report = ModelTestReport.of(List.of(SLICE, SKIPPED, WRONG_WAY));

        String json = JSON.writeValueAsString(report);

        assertThat(json).startsWith("{\"passed\":false,\"total\":3,\"failed\":1,\"skipped\":1,\"summary\":\"1 of 3 model tests failed: directional x1 +1 decrease\",\"results\":[")
                .contains("{\"name\":\"slice plan=team roc_auc\",\"kind\":\"slice\",\"passed\":true,\"skipped\":true,\"measured\":null,\"expectation\":\">= 0.6\"");
        assertThat(JSON.readValue(json, ModelTestReport.class)).isEqualTo(report);
    }

    @Test
    void numbersReadAsPeopleWriteThem() {
        assertThat(ModelTestReport.format(1.0)).isEqualTo("1");
        assertThat(ModelTestReport.format(0.8123456789)).isEqualTo("0.812346");
        assertThat(ModelTestReport.format(0.25)).isEqualTo("0.25");
        assertThat(ModelTestReport.format(1e-6)).isEqualTo("0.000001");
        assertThat(ModelTestReport.format(-0.5)).isEqualTo("-0.5");
        assertThat(ModelTestReport.format(1.5e-9)).isEqualTo("0.0000000015");
        assertThat(ModelTestReport.format(2.5e-15)).isEqualTo("2.5E-15");
    }
}
