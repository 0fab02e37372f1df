package io.flywheel.deploy;

import io.flywheel.deploy.rollout.Live;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One line of a deployment's history: what happened, who or what caused it, the evidence, and what served after. */
@Entity
@Table(name = "deployment_history")
public class HistoryEntry {

    /** Promotion steps and rollbacks (DeploymentChanged actions) plus these. */
    public static final String GATE_FAILED = "gate-failed";
    public static final String AWAITING_APPROVAL = "awaiting-approval";
    public static final String PROMOTION_REFUSED = "promotion-refused";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String model;
    public String environment;
    public String action;
    public Integer version;
    public String strategy;
    @JdbcTypeCode(SqlTypes.JSON)
    public LiveVersions live;
    public String actor;
    public String reason;
    public String summary;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> evidence;
    public String promotionId;
    public long revision;
    public Instant at;

    public record LiveVersions(List<Live> versions) {
    }
}
