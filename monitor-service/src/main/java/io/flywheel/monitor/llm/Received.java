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

    public String kind() {
        return event instanceof TraceUpserted ? "trace" : event instanceof ObservationUpserted ? "observation" : "score";
    }
}
