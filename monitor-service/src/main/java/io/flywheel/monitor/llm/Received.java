package io.flywheel.monitor.llm;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;

/** One record of {@code flywheel.traces} as read: its event ({@link TraceUpserted}, {@link ObservationUpserted} or {@link ScoreUpserted}) and its dedupe key. */
public record Received(String eventKey, Object event) {

    /** Redeliveries carry the same CloudEvent id; ids are the producer's, so they are scoped by project. */
    public static String key(String project, String cloudEventId) {
        return project + "/" + cloudEventId;
    }

    /**
     * The rows this event writes are those of one trace (its own, or the one it belongs to; a score
     * without a trace: its session, else itself), so events of different trace keys touch different
     * rows and can be stored side by side.
     */
    public String traceKey() {
        return switch (event) {
            case TraceUpserted t -> t.project() + "\n" + t.id();
            case ObservationUpserted o -> o.project() + "\n" + (o.traceId() != null ? o.traceId() : o.id());
            case ScoreUpserted s -> s.project() + "\n" + (s.traceId() != null ? s.traceId() : s.sessionId() != null ? s.sessionId() : s.id());
            default -> throw new IllegalArgumentException("not a trace event: " + event.getClass());
        };
    }

    public String kind() {
        return event instanceof TraceUpserted ? "trace" : event instanceof ObservationUpserted ? "observation" : "score";
    }
}
