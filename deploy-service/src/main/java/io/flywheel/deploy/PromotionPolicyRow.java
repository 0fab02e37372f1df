package io.flywheel.deploy;

import io.flywheel.deploy.policy.PolicyDocument;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** A model's promotion policy as stored: its document, with defaults written out, and its revision (the ETag). */
@Entity
@Table(name = "promotion_policy")
public class PromotionPolicyRow {
    @Id
    public String model;
    @JdbcTypeCode(SqlTypes.JSON)
    public PolicyDocument document;
    public long revision;
    public Instant updatedAt;
    public String updatedBy;
}
