package io.flywheel.retrain;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One move of a job from a state to another, when and why. */
@Entity
@Table(name = "retrain_job_transition")
public class JobTransition {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    public UUID jobId;
    public String fromState;
    public String toState;
    public Instant at;
    public String reason;
}
