package io.flywheel.retrain.llm.experiment;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;
import io.flywheel.llm.eval.EvalScore;
import io.flywheel.llm.eval.ScoreType;
import io.flywheel.llm.eval.chat.ChatMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One experiment item's run as the trace records the gateway's ingestion publishes (events module): a
 * trace carrying the experiment's metadata, one generation (model, input messages, output, usage) and
 * one score per evaluator on that generation, with the run's id in the score's metadata. The monitor
 * stores them like any client's trace. Plain Java.
 */
public record ItemTrace(TraceUpserted trace, ObservationUpserted generation, List<ScoreUpserted> scores) {

    /** What the experiment knows of an item's run. */
    public record Run(String project, String traceId, String observationId, String runId, String runName, String datasetId,
                      String datasetName, String datasetItemId, Object itemInput, Object expectedOutput, String promptName,
                      Integer promptVersion, String model, Map<String, Object> parameters, List<ChatMessage> messages,
                      String output, String error, long promptTokens, long completionTokens, long totalTokens, Instant start,
                      Instant end) {
    }

    public static final String ENVIRONMENT = "experiment";
    public static final String TRACE_NAME = "experiment-item-run";

    public static ItemTrace of(Run r, List<EvalScore> scores) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("experiment_id", r.runId());
        metadata.put("experiment_name", r.runName());
        metadata.put("dataset_id", r.datasetId());
        metadata.put("dataset_name", r.datasetName());
        metadata.put("dataset_item_id", r.datasetItemId());
        metadata.put("dataset_run_id", r.runId());
        if (r.expectedOutput() != null) {
            metadata.put("expected_output", r.expectedOutput());
        }
        if (r.promptName() != null) {
            metadata.put("prompt_name", r.promptName());
            metadata.put("prompt_version", r.promptVersion());
        }
        metadata.put("model", r.model());
        TraceUpserted trace = new TraceUpserted(r.project(), r.traceId(), r.start(), TRACE_NAME, null, null, null, null, ENVIRONMENT,
                List.of("experiment", "run:" + r.runName()), null, r.itemInput(), r.output(), metadata, r.end());

        List<Map<String, String>> input = r.messages() == null ? null
                : r.messages().stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList();
        Map<String, Long> usage = null;
        if (r.error() == null) {
            usage = new LinkedHashMap<>();
            usage.put("input", r.promptTokens());
            usage.put("output", r.completionTokens());
            usage.put("total", r.totalTokens());
        }
        ObservationUpserted generation = new ObservationUpserted(r.project(), r.observationId(), r.traceId(), "GENERATION", null,
                "chat-completion", r.start(), r.end(), null, r.model(), r.parameters() == null || r.parameters().isEmpty() ? null : r.parameters(),
                input, r.output(), Map.of("dataset_run_id", r.runId(), "dataset_item_id", r.datasetItemId()),
                r.error() == null ? "DEFAULT" : "ERROR", r.error(), null, ENVIRONMENT, usage, null, r.promptName(),
                r.promptName() == null ? null : r.promptVersion(), r.end());

        List<ScoreUpserted> out = new ArrayList<>();
        for (EvalScore s : scores) {
            out.add(score(r, s));
        }
        return new ItemTrace(trace, generation, out);
    }

    /** One evaluator's score as a score record; its id is stable per run, item and score name, so a retry replaces it. */
    static ScoreUpserted score(Run r, EvalScore s) {
        String id = r.runId() + ":" + r.datasetItemId() + ":" + s.name();
        String dataType = s.type() == ScoreType.BOOLEAN ? "BOOLEAN" : s.type() == ScoreType.CATEGORICAL ? "CATEGORICAL" : "NUMERIC";
        Double value = s.type() == ScoreType.CATEGORICAL ? null : s.value();
        String stringValue = switch (s.type()) {
            case BOOLEAN -> s.value() >= 0.5 ? "True" : "False";
            case CATEGORICAL -> Objects.requireNonNullElse(s.category(), String.valueOf(s.value()));
            default -> null;
        };
        return new ScoreUpserted(r.project(), id, s.name(), r.traceId(), r.observationId(), null, null, value, stringValue, dataType, "EVAL",
                s.comment(), Map.of("dataset_run_id", r.runId(), "dataset_item_id", r.datasetItemId()), null, ENVIRONMENT, r.end(), r.end());
    }

    /** A run-level score (Langfuse's run evaluator shape: target datasetRunId), e.g. an evaluator's mean over the run. */
    public static ScoreUpserted runScore(String project, String runId, String name, double value, String comment, Instant at) {
        return new ScoreUpserted(project, runId + ":" + name, name, null, null, null, runId, value, null, "NUMERIC", "EVAL", comment,
                Map.of("dataset_run_id", runId), null, ENVIRONMENT, at, at);
    }
}
