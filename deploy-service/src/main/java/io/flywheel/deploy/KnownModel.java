package io.flywheel.deploy;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A model deploy has learnt of from the registry's events; only known models can be deployed. */
@Entity
@Table(name = "known_model")
public class KnownModel {
    @Id
    public String name;
    public Instant registeredAt;
    /** The CloudEvent that introduced it: redelivery of the same event changes nothing. */
    public String eventId;
}
