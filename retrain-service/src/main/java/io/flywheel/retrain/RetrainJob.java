package io.flywheel.retrain;

import io.flywheel.retrain.job.JobState;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One retraining of one model: its state (job.JobState), where it is up to, and what it produced. */
@Entity
@Table(name = "retrain_job")
public class RetrainJob {
    @Id
    public UUID id;
    public String model;
    @Convert(converter = JobStateConverter.class)
    public JobState state;
    public Long triggerSeq;
    public String triggerKind;
    public String createdBy;
    /** The policy as it was when the job was created (JSON): a later change of policy does not change a job. */
    public String policy;
    public String trainer;
    public String runner;
    /** The labelled rows it trains on: {@code dataFrom <= labelled_at < dataTo}. */
    public Instant dataFrom;
    public Instant dataTo;
    public Instant createdAt;
    public Instant updatedAt;
    public Instant stateEnteredAt;
    public Instant startedAt;
    public Instant finishedAt;
    /** Attempts started (a job whose worker died is tried again). */
    public int attempt;
    public Instant attemptStartedAt;
    /** Not to be picked up before (a retry's backoff). */
    public Instant notBefore;
    public String leaseOwner;
    public Instant leaseExpiresAt;
    public Instant heartbeatAt;
    public Instant cancelRequestedAt;
    public String cancelRequestedBy;
    public String datasetName;
    public String datasetVersion;
    public String baseDataset;
    public String baseDatasetVersion;
    @Column(name = "row_count")
    public Integer rows;
    public Integer trainRows;
    public Integer holdoutRows;
    public Integer championVersion;
    public Integer candidateVersion;
    /** The evaluation report (JSON of evaluation.EvaluationReport). */
    public String evaluation;
    /** The model tests' report (JSON of modeltest.ModelTestReport), when the policy declares model tests and they ran. */
    public String modelTests;
    /** The trainer's code in git (policy {@code trainer.code}): the repository it is cloned from, the branch, and the commit
     *  it trains at (set by a code trigger; else the branch's head, filled in when the job checks it out). Null without trainer.code. */
    public String codeRepository;
    public String codeBranch;
    public String codeCommit;
    /** Why it is in its state (the last transition's reason). */
    public String reason;
    /** What went wrong, when failed. */
    public String error;
    public int logLines;
}
