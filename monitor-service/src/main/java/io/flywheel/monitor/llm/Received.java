package io.flywheel.monitor.llm;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;

/**
 * One event of {@code flywheel.traces} as read: the event ({@link TraceUpserted}, {@link ObservationUpserted}
 * or {@link ScoreUpserted}), its record's dedupe key, and the record it came in ({@code source}: the
 * events of one {@link io.flywheel.events.TraceBatch} share key and source; another record with the
 * same key is a redelivery).
 */
public record Received(String eventKey, Object event, Object source) {

    /** An event that came alone in its record. */
    public Received(String eventKey, Object event) {
        this(eventKey, event, new Object());
    }

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
