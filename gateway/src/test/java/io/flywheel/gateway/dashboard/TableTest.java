package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void nestedValuesReadAsNamesAndValuesWithoutTheEmptyParts() throws Exception {
        Table table = Table.of(json.readTree("""
                [{"version": 2, "metrics": {"roc_auc": 0.5801886792452831, "rows": 1200},
                  "lineage": {"dataset_versions": [{"dataset": "churn", "id": "f47652b0ac66e1d2a7c9e35c0b1f6f7e8d9a0b1c2d3e4f5061728394a5b6c7d8"},
                                                   {"dataset": "churn-base", "id": "31d0855114e1"}],
                              "code": {"repository": "flywheel", "commit": null}, "retrain_job": null, "parent_version": 1}}]"""),
                List.of("version", "metrics", "lineage", "created_at"));

        assertThat(table.columns()).containsExactly("version", "metrics", "lineage");
        assertThat(table.rows().getFirst()).containsExactly("2", "roc_auc 0.5802, rows 1200",
                "dataset_versions [(dataset churn, id f47652b0ac66…), (dataset churn-base, id 31d0855114e1)], code repository flywheel,"
                        + " parent_version 1");
    }

    @Test
    void longCellsAreCutAndMissingOnesAreBlank() throws Exception {
        Table table = Table.of(json.readTree("[{\"reason\": \"" + "x".repeat(300) + "\"}, {}]"), List.of("reason"));
        assertThat(table.rows().get(0).getFirst()).hasSize(241).endsWith("…");
        assertThat(table.rows().get(1).getFirst()).isEmpty();
        assertThat(Table.of(null, List.of("reason")).isEmpty()).isTrue();
    }
}
