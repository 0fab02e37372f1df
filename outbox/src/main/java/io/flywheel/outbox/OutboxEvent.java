package io.flywheel.outbox;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An event waiting in the service's database to be sent; its id becomes the CloudEvent id. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {
    @Id
    public UUID id;
    /** Kafka record key: the model (or dataset) name, so one model's events stay in order. */
    public String eventKey;
    /** CloudEvent type, e.g. io.flywheel.registry.model.created.v1 */
    public String type;
    /** The event record as JSON: the contract consumers read. */
    public String payload;
    public Instant createdAt;
    public Instant sentAt;
}
