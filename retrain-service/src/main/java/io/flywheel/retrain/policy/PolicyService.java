package io.flywheel.retrain.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.Names;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.NotFoundException;
import io.flywheel.retrain.PolicyRecord;
import io.flywheel.retrain.PreconditionFailedException;
import io.flywheel.retrain.runner.Runners;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Retrain policies: one per model, validated and stored whole, with a revision for If-Match. */
@ApplicationScoped
public class PolicyService {

    /** A stored policy and its bookkeeping; {@code created} is true when the PUT created it. */
    public record Stored(String model, RetrainPolicy policy, long revision, Instant createdAt, Instant updatedAt,
                         String updatedBy, Instant nextScheduledAt, boolean created) {
        public String etag() {
            return etag(revision);
        }

        public static String etag(long revision) {
            return "\"" + revision + "\"";
        }
    }

    private final ObjectMapper json;
    private final ObjectMapper strict;
    private final Runners runners;

    private final boolean codeEnabled;

    public PolicyService(ObjectMapper json, Runners runners, io.flywheel.retrain.config.RetrainConfig config) {
        this.json = json;
        this.strict = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.runners = runners;
        this.codeEnabled = config.git().enabled();
    }

    public Uni<Stored> get(String model) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.find(PolicyRecord.class, model)))
                .onItem().ifNull().failWith(() -> new NotFoundException("retrain policy of model", model))
                .map(row -> stored(row, false));
    }

    /**
     * Creates or replaces the model's policy. With {@code ifMatch}, only when it names the current
     * revision (412 otherwise; {@code *} means "exists").
     */
    public Uni<Stored> put(String model, JsonNode body, String ifMatch, String actor) {
        if (model == null || !model.matches(Names.PATTERN)) {
            return Uni.createFrom().failure(new InvalidRequestException("model must match " + Names.PATTERN));
        }
        if (!body.isObject()) {
            return Uni.createFrom().failure(new InvalidRequestException("the policy must be a JSON object"));
        }
        RetrainPolicy policy;
        try {
            // strict: a misspelt field is refused, not silently left at its default
            policy = strict.treeToValue(body, RetrainPolicy.class).normalise(model, runners.trainers(), runners.names());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        if (policy.trainer().code() != null && !codeEnabled) {
            // whoever may write a policy would otherwise run commands on this machine
            return Uni.createFrom().failure(new InvalidRequestException("trainer.code is off on this retrain-service: its commands "
                    + "would run on its machine, so an operator enables it (retrain.git.enabled=true) for repositories they trust"));
        }
        String document = write(policy);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant next = policy.enabled() && policy.schedule() != null ? Schedules.next(policy.schedule(), now).orElse(null) : null;
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .find(PolicyRecord.class, model, LockModeType.PESSIMISTIC_WRITE)
                .chain(existing -> {
                    if (ifMatch != null && !ifMatch.isBlank()) {
                        boolean matches = existing != null && ("*".equals(ifMatch.strip()) || Stored.etag(existing.revision).equals(ifMatch.strip()));
                        if (!matches) {
                            return Uni.createFrom().failure(new PreconditionFailedException("If-Match " + ifMatch + " does not name the current "
                                    + "revision of the policy of '" + model + "' (" + (existing == null ? "it has none" : Stored.etag(existing.revision)) + ")"));
                        }
                    }
                    boolean created = existing == null;
                    PolicyRecord row = created ? new PolicyRecord() : existing;
                    if (created) {
                        row.model = model;
                        row.createdAt = now;
                    }
                    row.enabled = policy.enabled();
                    row.document = document;
                    row.schedule = policy.schedule();
                    row.nextFireAt = next;
                    row.revision = created ? 1 : row.revision + 1;
                    row.updatedAt = now;
                    row.updatedBy = actor;
                    Uni<Void> saved = created ? session.persist(row) : Uni.createFrom().voidItem();
                    return saved.replaceWith(() -> stored(row, created));
                })))
                .invoke(s -> Log.infof("retrain policy of %s %s (revision %d) by %s", model, s.created() ? "created" : "replaced",
                        s.revision(), actor));
    }

    /** The policy in a stored document (a job's snapshot or a policy row). */
    public RetrainPolicy parse(String document) {
        try {
            return json.readValue(document, RetrainPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored retrain policy does not parse: " + e.getOriginalMessage(), e);
        }
    }

    public String write(RetrainPolicy policy) {
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Stored stored(PolicyRecord row, boolean created) {
        return new Stored(row.model, parse(row.document), row.revision, row.createdAt, row.updatedAt, row.updatedBy,
                row.nextFireAt, created);
    }
}
