package io.flywheel.retrain;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A model's retrain policy as stored: the normalised policy (JSON of policy.RetrainPolicy) and what queries need. */
@Entity
@Table(name = "retrain_policy")
public class PolicyRecord {
    @Id
    public String model;
    public boolean enabled;
    public String document;
    public String schedule;
    public Instant nextFireAt;
    /** Counts changes: the ETag, so that If-Match can refuse a stale write. */
    public long revision;
    public Instant createdAt;
    public Instant updatedAt;
    public String updatedBy;
}
