package io.flywheel.deploy;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;

/**
 * Deploy's own record of the monitor's verdicts on a version (drift.detected, quality.degraded,
 * recovered), keyed by CloudEvent id so a redelivered event is applied once.
 */
@Entity
@Table(name = "monitor_signal")
public class MonitorSignal {

    public static final String DEGRADED = "degraded";
    public static final String RECOVERED = "recovered";

    @Id
    public String eventId;
    public String model;
    public int version;
    public String signal;
    /** drift, quality, concept or infrastructure */
    public String kind;
    public String detail;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> evidence;
    public Instant detectedAt;
    public Instant receivedAt;
}
