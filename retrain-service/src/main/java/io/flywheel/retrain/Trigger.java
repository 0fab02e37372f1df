package io.flywheel.retrain;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A signal that could start a retraining (a monitor verdict, later a schedule or a person), and the decision on it. */
@Entity
@Table(name = "retrain_trigger")
public class Trigger {

    public enum Decision { ACCEPTED, REFUSED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    /** The CloudEvent id: the same event delivered twice is one trigger. */
    public String eventId;
    public String model;
    public Integer version;
    /** What fired: {@code drift}, later {@code quality}, {@code schedule}, {@code manual}. */
    public String kind;
    public Instant receivedAt;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Decision decision;
    public String reason;
}
