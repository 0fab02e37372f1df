package io.flywheel.monitor.evaluation;

import io.flywheel.events.DriftDetected;
import io.flywheel.events.QualityDegraded;
import io.flywheel.events.Recovered;
import io.flywheel.monitor.window.Alerts;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns judged conditions into events, once per change of state: the new state is stored first,
 * then the event sent with an id derived from the change (a resend after a crash repeats the id).
 */
@ApplicationScoped
public class AlertPublisher {

    private final ResultStore results;
    private final MonitorEvents events;

    public AlertPublisher(ResultStore results, MonitorEvents events) {
        this.results = results;
        this.events = events;
    }

    public Uni<Integer> publish(String model, int version, List<Alerts.Condition> conditions, Instant windowStart,
                                Instant windowEnd) {
        return results.alertStates(model, version)
                .map(previous -> Alerts.transitions(previous, conditions))
                .chain(transitions -> Multi.createFrom().iterable(transitions)
                        .onItem().transformToUniAndConcatenate(t -> apply(model, version, t, windowStart, windowEnd))
                        .collect().asList().map(List::size));
    }

    private Uni<Void> apply(String model, int version, Alerts.Transition t, Instant start, Instant end) {
        Alerts.Condition c = t.condition();
        Instant now = Instant.now();
        String id = UUID.nameUUIDFromBytes((model + "|" + version + "|" + c.id() + "|" + t.raised() + "|" + end)
                .getBytes(StandardCharsets.UTF_8)).toString();
        String type;
        Object payload;
        if (!t.raised()) {
            type = Recovered.TYPE;
            payload = Recovered.of(model, version, c.kind(), now);
        } else if ("drift".equals(c.kind())) {
            type = DriftDetected.TYPE;
            @SuppressWarnings("unchecked")
            List<String> drifted = (List<String>) c.evidence().getOrDefault("drifted_features", List.of());
            payload = DriftDetected.of(model, version, drifted, c.value(), start, end, c.samples(), now, c.evidence());
        } else {
            type = QualityDegraded.TYPE;
            payload = QualityDegraded.of(model, version, c.kind(), c.metric(), c.value(), c.threshold(), start, end,
                    c.samples(), now, c.evidence());
        }
        Log.infof("%s v%d: %s %s", model, version, c.id(), t.raised() ? "raised" : "recovered");
        return results.setAlert(model, version, c.kind(), c.key(), t.raised(), now, c.evidence() == null ? Map.of() : c.evidence())
                .chain(() -> events.send(id, type, model, payload));
    }
}
