package io.flywheel.deploy;

import io.flywheel.deploy.gate.GateCheck;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A promotion request and how it ended: applied, rejected (a gate failed), refused (conflict) or awaiting approval. */
@Entity
@Table(name = "promotion")
public class PromotionRecord {

    public static final String APPLIED = "applied";
    public static final String REJECTED = "rejected";
    public static final String REFUSED = "refused";
    public static final String AWAITING_APPROVAL = "awaiting-approval";

    public static final String SOURCE_API = "api";
    public static final String SOURCE_RETRAIN = "retrain";
    /** A model's promotion policy, once the version soaked (service/AutoPromoter). */
    public static final String SOURCE_POLICY = "policy";

    @Id
    public String id;
    public String model;
    public String environment;
    public int version;
    public String strategy;
    public String reason;
    public String requestedBy;
    public String source;
    public String sourceEventId;
    public String idempotencyKey;
    public String status;
    @JdbcTypeCode(SqlTypes.JSON)
    public Checks checks;
    @JdbcTypeCode(SqlTypes.JSON)
    public DeploymentRow.StoredPolicy canaryPolicy;
    /** What the requester sent along (retrain's evaluation, for one). */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> evidence;
    public Instant createdAt;
    public Instant decidedAt;
    public String decidedBy;

    /** Gate results, wrapped for the jsonb column. */
    public record Checks(List<GateCheck> checks) {
    }

    public List<GateCheck> checkList() {
        return checks == null || checks.checks() == null ? List.of() : checks.checks();
    }
}
