package io.flywheel.deploy.outbox;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An event waiting in the database to be sent; its id becomes the CloudEvent id. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {
    @Id
    public UUID id;
    /** Kafka record key: the model name, so one model's events stay in order. */
    public String eventKey;
    /** CloudEvent type, e.g. io.flywheel.deploy.deployment.changed.v1 */
    public String type;
    /** The event record as JSON: the contract consumers read. */
    public String payload;
    public Instant createdAt;
    public Instant sentAt;
}
