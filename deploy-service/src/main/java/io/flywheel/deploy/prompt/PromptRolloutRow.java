package io.flywheel.deploy.prompt;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One prompt rollout as stored (V4__prompt_rollouts.sql): its frozen policy, its status, the judge's latest word. */
@Entity
@Table(name = "prompt_rollout")
public class PromptRolloutRow {

    public static final String RUNNING = "running";
    public static final String PROMOTED = "promoted";
    public static final String ROLLED_BACK = "rolled-back";
    public static final String REFUSED = "refused";

    /** Insertion order: list pages are keyed on it. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    public UUID id;
    public String project;
    public String prompt;
    public int candidateVersion;
    public Integer baselineVersion;
    public String scoreName;
    public String status;
    @JdbcTypeCode(SqlTypes.JSON)
    public PromptPolicyDocument policy;
    public String startedBy;
    /** api or retrain */
    public String source;
    public String sourceEventId;
    public String jobId;
    public String experimentId;
    public String reason;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> requestEvidence;
    public Instant startedAt;
    public Instant endedAt;
    public String endedBy;
    public String endReason;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> judgement;
    public Instant judgedAt;
    public boolean labelsSynced;
    public int labelAttempts;
    public String labelError;

    public boolean running() {
        return RUNNING.equals(status);
    }
}
