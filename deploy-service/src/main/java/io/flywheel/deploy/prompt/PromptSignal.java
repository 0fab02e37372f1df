package io.flywheel.deploy.prompt;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;

/** The monitor's quality.degraded (kind llm_score) naming a prompt version, kept once per CloudEvent id. */
@Entity
@Table(name = "prompt_signal")
public class PromptSignal {
    @Id
    public String eventId;
    public String project;
    public String prompt;
    public int version;
    public String scoreName;
    public String detail;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> evidence;
    public Instant receivedAt;
}
