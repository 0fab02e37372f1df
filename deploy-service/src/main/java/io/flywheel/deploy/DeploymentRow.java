package io.flywheel.deploy;

import io.flywheel.deploy.rollout.CanaryPolicy;
import io.flywheel.deploy.rollout.Deployment;
import io.flywheel.deploy.rollout.Strategy;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The stored form of a {@link Deployment}: one row per model and environment. */
@Entity
@Table(name = "deployment")
@IdClass(DeploymentRow.Key.class)
public class DeploymentRow {

    @Id
    public String model;
    @Id
    public String environment;
    public Integer primaryVersion;
    public Instant primarySince;
    public Integer candidateVersion;
    public String candidateStrategy;
    public int candidateStep;
    public Instant candidateSince;
    public Instant stepStartedAt;
    public long stepSamplesAtStart;
    @JdbcTypeCode(SqlTypes.JSON)
    public StoredPolicy canaryPolicy;
    public String promotionId;
    /** Wrapped: Hibernate Reactive maps jsonb to objects only. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Versions previousVersions = new Versions(List.of());
    /** The strategy of the promotion that made the current state. */
    public String strategy;
    public long revision;
    public Instant updatedAt;
    public String updatedBy;

    /** A canary policy as stored: steps, minimum hold in milliseconds, minimum samples. */
    public record StoredPolicy(List<Integer> steps, long minHoldMillis, long minSamples) {
        public static StoredPolicy of(CanaryPolicy policy) {
            return policy == null ? null : new StoredPolicy(policy.steps(), policy.minHold().toMillis(), policy.minSamples());
        }

        public CanaryPolicy toPolicy() {
            return new CanaryPolicy(steps, Duration.ofMillis(minHoldMillis), minSamples);
        }
    }

    public record Versions(List<Integer> versions) {
    }

    public static DeploymentRow empty(String model, String environment) {
        DeploymentRow row = new DeploymentRow();
        row.model = model;
        row.environment = environment;
        row.previousVersions = new Versions(List.of());
        return row;
    }

    public Deployment toDomain() {
        Deployment.Candidate candidate = null;
        if (candidateVersion != null) {
            Strategy strategy = Strategy.of(candidateStrategy);
            candidate = new Deployment.Candidate(candidateVersion, strategy, candidateStep,
                    canaryPolicy == null ? null : canaryPolicy.toPolicy(), candidateSince, stepStartedAt, stepSamplesAtStart,
                    promotionId);
        }
        List<Integer> previous = previousVersions == null || previousVersions.versions() == null ? List.of()
                : previousVersions.versions();
        return new Deployment(model, environment, primaryVersion, primarySince, candidate, previous, revision);
    }

    /** Takes the state of {@code d}, its revision included. */
    public void apply(Deployment d, String strategyUsed, String actor, Instant now) {
        primaryVersion = d.primary();
        primarySince = d.primarySince();
        Deployment.Candidate c = d.candidate();
        candidateVersion = c == null ? null : c.version();
        candidateStrategy = c == null ? null : c.strategy().id();
        candidateStep = c == null ? 0 : c.step();
        candidateSince = c == null ? null : c.since();
        stepStartedAt = c == null ? null : c.stepStartedAt();
        stepSamplesAtStart = c == null ? 0 : c.stepSamplesAtStart();
        canaryPolicy = c == null ? null : StoredPolicy.of(c.policy());
        promotionId = c == null ? null : c.promotionId();
        previousVersions = new Versions(d.previous());
        if (strategyUsed != null) {
            strategy = strategyUsed;
        }
        revision = d.revision();
        updatedAt = now;
        updatedBy = actor;
    }

    public static class Key implements Serializable {
        public String model;
        public String environment;

        public Key() {
        }

        public Key(String model, String environment) {
            this.model = model;
            this.environment = environment;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.model.equals(model) && key.environment.equals(environment);
        }

        @Override
        public int hashCode() {
            return model.hashCode() * 31 + environment.hashCode();
        }
    }
}
