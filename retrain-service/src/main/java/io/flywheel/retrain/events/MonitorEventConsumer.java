package io.flywheel.retrain.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.DriftDetected;
import io.flywheel.retrain.Trigger;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Records every drift verdict of the monitor as a trigger, once per CloudEvent id. No model has a
 * retrain policy yet (policies and jobs come with the retrain issue), so each trigger is refused
 * with that reason rather than silently dropped. Unparseable records go to the dead-letter topic.
 */
@ApplicationScoped
public class MonitorEventConsumer {

    private final ObjectMapper json;

    public MonitorEventConsumer(ObjectMapper json) {
        this.json = json;
    }

    @Incoming("monitor-events")
    public Uni<Void> consume(Message<String> message) {
        var cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (cloudEvent == null) {
            return nack(message, "not a CloudEvent: the ce_type header is missing");
        }
        if (!DriftDetected.TYPE.equals(cloudEvent.getType())) {
            return Uni.createFrom().completionStage(message.ack());
        }
        DriftDetected drift;
        try {
            drift = json.readValue(message.getPayload(), DriftDetected.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return nack(message, "payload of " + cloudEvent.getType() + " does not parse: " + e.getMessage());
        }
        if (drift.model() == null || drift.model().isBlank()) {
            return nack(message, "model is missing");
        }
        return Panache.withTransaction(() -> recordOnce(drift, cloudEvent.getId()))
                .chain(() -> Uni.createFrom().completionStage(message.ack()));
    }

    private static Uni<Void> recordOnce(DriftDetected drift, String eventId) {
        return Panache.getSession().chain(session -> session
                .createQuery("select count(t) from Trigger t where t.eventId = :id", Long.class)
                .setParameter("id", eventId)
                .getSingleResult()
                .chain(seen -> {
                    if (seen > 0) {
                        Log.debugf("trigger %s already recorded", eventId);
                        return Uni.createFrom().voidItem();
                    }
                    Trigger trigger = new Trigger();
                    trigger.eventId = eventId;
                    trigger.model = drift.model();
                    trigger.version = drift.version();
                    trigger.kind = "drift";
                    trigger.receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    trigger.decision = Trigger.Decision.REFUSED;
                    trigger.reason = "no retrain policy for model '" + drift.model() + "'";
                    return session.persist(trigger);
                }));
    }

    private static Uni<Void> nack(Message<String> message, String reason) {
        Log.warnf("monitor event dead-lettered: %s", reason);
        return Uni.createFrom().completionStage(message.nack(new IllegalArgumentException(reason)));
    }
}
