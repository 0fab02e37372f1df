package io.flywheel.retrain;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A signal that could start a retraining (a monitor verdict, the schedule, a person), and the decision on it. */
@Entity
@Table(name = "retrain_trigger")
public class Trigger {

    public enum Decision { ACCEPTED, REFUSED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    /** The CloudEvent id (or {@code manual:…}, {@code schedule:…}): a redelivery is recorded as a duplicate of the first. */
    public String eventId;
    public String model;
    public Integer version;
    /** What fired: {@code drift}, {@code quality}, {@code schedule}, {@code manual}. */
    public String kind;
    public Instant receivedAt;
    @Enumerated(EnumType.STRING)
    public Decision decision;
    public String reason;
    /** The guardrail that refused it (policy.Guardrails), null when accepted. */
    public String rule;
    /** What the event reports (kind, version, window): the same report under another event id is a duplicate too. */
    public String dedupeKey;
    /** The trigger this one repeats, when refused as a duplicate. */
    public Long duplicateOf;
    /** The job it started, when accepted. */
    public UUID jobId;
    /** Who: the caller's principal, {@code monitor}, {@code scheduler}. */
    public String actor;
    /** The event's payload (JSON), or the request's reason. */
    public String detail;
}
