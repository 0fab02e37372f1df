package io.flywheel.deploy.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.deploy.KnownModel;
import io.flywheel.events.ModelCreated;
import io.flywheel.readiness.UntilAvailable;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Keeps deploy's view of the registry current. Applying an event twice changes nothing (the model
 * is keyed by name), so at-least-once delivery is safe. Types deploy does not use are acknowledged
 * and skipped, so a newer registry never stalls an older deploy; a record that is not a CloudEvent,
 * or whose payload does not parse, goes to the dead-letter topic.
 */
@ApplicationScoped
public class RegistryEventConsumer {

    private final ObjectMapper json;

    public RegistryEventConsumer(ObjectMapper json) {
        this.json = json;
    }

    @Incoming("registry-events")
    public Uni<Void> consume(Message<String> message) {
        var cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (cloudEvent == null) {
            return nack(message, "not a CloudEvent: the ce_type header is missing");
        }
        if (!ModelCreated.TYPE.equals(cloudEvent.getType())) {
            return Uni.createFrom().completionStage(message.ack());
        }
        ModelCreated created;
        try {
            created = json.readValue(message.getPayload(), ModelCreated.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return nack(message, "payload of " + cloudEvent.getType() + " does not parse: " + e.getMessage());
        }
        if (created.model() == null || created.model().isBlank()) {
            return nack(message, "model is missing");
        }
        // while the database is down the event waits for it (readiness/UntilAvailable)
        return UntilAvailable.settle("registry-events", message, () -> Panache.withTransaction(() -> remember(created, cloudEvent.getId())));
    }

    private static Uni<Void> nack(Message<String> message, String reason) {
        Log.warnf("registry event dead-lettered: %s", reason);
        return Uni.createFrom().completionStage(message.nack(new IllegalArgumentException(reason)));
    }

    /** Inserts the model unless it is already known. */
    private static Uni<Void> remember(ModelCreated created, String eventId) {
        return Panache.getSession().chain(session -> session.find(KnownModel.class, created.model())
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().voidItem();
                    }
                    KnownModel model = new KnownModel();
                    model.name = created.model();
                    model.registeredAt = created.createdAt() != null ? created.createdAt() : java.time.Instant.now();
                    model.eventId = eventId;
                    return session.persist(model);
                }));
    }
}
