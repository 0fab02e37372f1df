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

/** One change of a prompt rollout (started, promoted, rolled-back, refused) with its evidence. */
@Entity
@Table(name = "prompt_rollout_history")
public class PromptRolloutHistory {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public UUID rolloutId;
    public String action;
    public String actor;
    public String reason;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> evidence;
    public Instant at;
}
