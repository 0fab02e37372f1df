package io.flywheel.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/**
 * Records an event in the caller's transaction. Call it from a {@code @WithTransaction} method after
 * the change the event announces: both commit or neither does.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper json;

    public Outbox(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Void> add(String key, String type, Object event) {
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.randomUUID();
        row.eventKey = key;
        row.type = type;
        row.payload = toJson(event);
        row.createdAt = Instant.now();
        return Panache.getSession().chain(session -> session.persist(row));
    }

    private String toJson(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.getClass().getSimpleName() + " is not serialisable", e);
        }
    }
}
