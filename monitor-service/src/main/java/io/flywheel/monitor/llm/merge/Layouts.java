package io.flywheel.monitor.llm.merge;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The merged columns of traces and observations, in the order of their {@code field_times}, and a message's fields. */
public final class Layouts {

    public static final List<Column> KEY = List.of(new Column("project", "text"), new Column("id", "text"));

    public static final List<Column> TRACE = List.of(
            new Column("timestamp", "timestamptz", Column.Rule.EARLIEST), new Column("name", "text"), new Column("user_id", "text"),
            new Column("session_id", "text"), new Column("release", "text"), new Column("version", "text"),
            new Column("environment", "text"), new Column("tags", "text[]", Column.Rule.UNION), new Column("public", "boolean"),
            new Column("input", "jsonb"), new Column("output", "jsonb"), new Column("metadata", "jsonb", Column.Rule.MERGE));

    public static final List<Column> OBSERVATION = List.of(
            new Column("trace_id", "text"), new Column("type", "text"), new Column("parent_observation_id", "text"),
            new Column("name", "text"), new Column("start_time", "timestamptz"), new Column("end_time", "timestamptz"),
            new Column("completion_start_time", "timestamptz"), new Column("model", "text"),
            new Column("model_parameters", "jsonb"), new Column("input", "jsonb"), new Column("output", "jsonb"),
            new Column("metadata", "jsonb", Column.Rule.MERGE), new Column("level", "text"), new Column("status_message", "text"),
            new Column("version", "text"), new Column("environment", "text"), new Column("usage_details", "jsonb"),
            new Column("cost_details", "jsonb"), new Column("prompt_name", "text"), new Column("prompt_version", "integer"));

    private Layouts() {
    }

    public static Fields of(TraceUpserted t) {
        return Fields.sent(TRACE, micros(t.receivedAt()), t.timestamp(), t.name(), t.userId(), t.sessionId(), t.release(),
                t.version(), t.environment(), t.tags(), t.isPublic(), t.input(), t.output(), t.metadata());
    }

    public static Fields of(ObservationUpserted o) {
        return Fields.sent(OBSERVATION, micros(o.receivedAt()), o.traceId(), o.type(), o.parentObservationId(), o.name(), o.startTime(),
                o.endTime(), o.completionStartTime(), o.model(), o.modelParameters(), o.input(), o.output(), o.metadata(),
                o.level(), o.statusMessage(), o.version(), o.environment(), o.usageDetails(), o.costDetails(),
                o.promptName(), o.promptVersion());
    }

    /** Scores are kept whole: the one received last wins (equal times: the one merged last). */
    public static ScoreUpserted latest(ScoreUpserted a, ScoreUpserted b) {
        return b.receivedAt().isBefore(a.receivedAt()) ? a : b;
    }

    public static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
