package io.flywheel.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The fields of an LLM application's trace as one client message sent them (Langfuse's
 * {@code trace-create}, or the trace-level attributes of an OpenTelemetry span). A null field was
 * not sent: the consumer keeps what it has, so messages merge by id in any order (a later
 * {@code receivedAt} wins a field both sent). Key: {@code project + "/" + id}.
 * Input, output and metadata are any JSON value (maps, lists, strings, numbers).
 */
public record TraceUpserted(
        String project,
        String id,
        Instant timestamp,
        String name,
        String userId,
        String sessionId,
        String release,
        String version,
        String environment,
        List<String> tags,
        Boolean isPublic,
        Object input,
        Object output,
        Map<String, Object> metadata,
        Instant receivedAt) {
    public static final String TYPE = "io.flywheel.traces.trace.upserted.v1";

    public TraceUpserted {
        TraceIds.require("project", project);
        TraceIds.require("id", id);
        if (receivedAt == null) {
            receivedAt = Instant.now();
        }
    }

    public String key() {
        return project + "/" + id;
    }
}
