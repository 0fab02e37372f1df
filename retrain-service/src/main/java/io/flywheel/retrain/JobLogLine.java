package io.flywheel.retrain;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One line of a job's log: its own steps and its trainer's output. */
@Entity
@Table(name = "retrain_job_log")
public class JobLogLine {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    public UUID jobId;
    public Instant at;
    public String level;
    public String message;
}
