package io.flywheel.llm.ingest;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;
import java.util.List;

/** The event records one client request turned into, in the order they should be published. */
public record Mapped(List<TraceUpserted> traces, List<ObservationUpserted> observations, List<ScoreUpserted> scores) {

    public Mapped {
        traces = List.copyOf(traces);
        observations = List.copyOf(observations);
        scores = List.copyOf(scores);
    }

    public static Mapped empty() {
        return new Mapped(List.of(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return traces.isEmpty() && observations.isEmpty() && scores.isEmpty();
    }

    public int size() {
        return traces.size() + observations.size() + scores.size();
    }
}
