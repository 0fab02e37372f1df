package io.flywheel.retrain.runner;

import io.flywheel.retrain.support.Rows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A small training set on disk and a request for it. */
final class RunnersTestSupport {

    static final String PARAMS = "{\"task\": \"binary-classification\", \"target\": \"churned\"}";

    static Path dataset(Path dir, int rows) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> row : Rows.churn(rows, 11)) {
            text.append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(row)).append('\n');
        }
        Path file = dir.resolve("training-set.jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    static TrainingRequest request(String trainer, Path dataset, Path output, String params, List<String> log) {
        return new TrainingRequest("job-1", trainer, dataset.toUri().toString(), output, params,
                Instant.parse("2026-11-26T10:00:00Z"), log::add);
    }

    static List<String> log() {
        return new CopyOnWriteArrayList<>();
    }

    private RunnersTestSupport() {
    }
}
