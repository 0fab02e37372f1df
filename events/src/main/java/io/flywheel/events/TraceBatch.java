package io.flywheel.events;

import java.util.List;

/**
 * The upserts of one client request that share a key ({@code project/trace}, see each record's
 * {@code key()}), published as one record of {@code flywheel.traces} instead of one record each: a
 * trace of ten spans is one record, not eleven, so the producer, the broker and the consumer do their
 * per-record work (headers, CloudEvent, offsets, the consumer's event-id log) once. The events inside
 * mean what they mean alone, in this order: traces, observations, scores. A redelivered batch carries
 * the same CloudEvent id and is dropped whole.
 */
public record TraceBatch(List<TraceUpserted> traces, List<ObservationUpserted> observations, List<ScoreUpserted> scores) {
    public static final String TYPE = "io.flywheel.traces.batch.v1";

    public TraceBatch {
        traces = traces == null ? List.of() : List.copyOf(traces);
        observations = observations == null ? List.of() : List.copyOf(observations);
        scores = scores == null ? List.of() : List.copyOf(scores);
        if (traces.isEmpty() && observations.isEmpty() && scores.isEmpty()) {
            throw new IllegalArgumentException("a trace batch holds at least one trace, observation or score");
        }
    }

    /** Its events, in order: traces, observations, scores. */
    public List<Object> events() {
        List<Object> all = new java.util.ArrayList<>(traces.size() + observations.size() + scores.size());
        all.addAll(traces);
        all.addAll(observations);
        all.addAll(scores);
        return all;
    }
}
