package io.flywheel.deploy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.deploy.ConflictException;
import io.flywheel.deploy.DeploymentRow;
import io.flywheel.deploy.GateFailedException;
import io.flywheel.deploy.HistoryEntry;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.PreconditionFailedException;
import io.flywheel.deploy.PromotionRecord;
import io.flywheel.deploy.SelfApprovalException;
import io.flywheel.deploy.config.DeployConfig;
import io.flywheel.deploy.gate.GateCheck;
import io.flywheel.deploy.gate.GateInput;
import io.flywheel.deploy.gate.GatePolicy;
import io.flywheel.deploy.gate.GateVerdict;
import io.flywheel.deploy.gate.PromotionGates;
import io.flywheel.deploy.registry.Registry;
import io.flywheel.deploy.registry.RegistryVersion;
import io.flywheel.deploy.rollout.CanaryPolicy;
import io.flywheel.deploy.rollout.Deployment;
import io.flywheel.deploy.rollout.Strategy;
import io.flywheel.deploy.rollout.Transition;
import io.flywheel.deploy.serving.ModelCache;
import io.flywheel.deploy.serving.SampleCounter;
import io.flywheel.deploy.serving.ServingTable;
import io.flywheel.events.PromotionRejected;
import io.flywheel.outbox.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Promotions: the gates in order (on facts gathered from the registry and deploy's own records),
 * then the change, all or nothing. The deployment is read, the gates run without holding anything,
 * and the change is written under the row's lock only if the deployment is still the one the gates
 * judged: of two promotions racing, exactly one wins and the other gets 409 (412 with If-Match).
 * A failed gate changes nothing and is recorded (promotion, history, promotion.rejected event).
 */
@ApplicationScoped
public class PromotionService {

    /** A request to promote. {@code strategy} and {@code canary} may be null (the environment's defaults). */
    public record Command(String model, String environment, int version, Strategy strategy, String reason, String actor,
                          String source, String sourceEventId, String idempotencyKey, String ifMatch, CanaryPolicy canary,
                          Map<String, Object> evidence) {
    }

    /** How a promotion ended, the deployment after it, and whether it is a replay of an earlier request. */
    public record Outcome(PromotionRecord promotion, Deployment deployment, boolean replayed) {
    }

    private record Judged(Deployment before, GateVerdict verdict) {
    }

    private final Environments environments;
    private final DeploymentStore store;
    private final Registry registry;
    private final ModelCache models;
    private final SampleCounter samples;
    private final Signals signals;
    private final ServingTable serving;
    private final Outbox outbox;
    private final PromotionGates gates;
    private final CanaryPolicy defaultCanary;
    private final MeterRegistry meters;
    private final ObjectMapper json;
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() { };

    public PromotionService(Environments environments, DeploymentStore store, Registry registry, ModelCache models,
                            SampleCounter samples, Signals signals, ServingTable serving, Outbox outbox, DeployConfig config,
                            MeterRegistry meters, ObjectMapper json) {
        this.environments = environments;
        this.store = store;
        this.registry = registry;
        this.models = models;
        this.samples = samples;
        this.signals = signals;
        this.serving = serving;
        this.outbox = outbox;
        this.meters = meters;
        this.json = json;
        DeployConfig.Gates g = config.gates();
        this.gates = new PromotionGates(new GatePolicy(g.metrics(), g.margin(), new HashSet<>(g.lowerIsBetter()),
                new HashSet<>(g.soak().environments()), g.soak().from(), g.soak().minTime(), g.soak().minSamples(),
                new HashSet<>(g.approvalEnvironments().orElse(List.of()))));
        this.defaultCanary = new CanaryPolicy(config.canary().steps(), config.canary().minHold(), config.canary().minSamples());
    }

    public CanaryPolicy defaultCanary() {
        return defaultCanary;
    }

    /**
     * Runs the gates and, if they pass, the change. Fails with {@link GateFailedException} (422),
     * {@link ConflictException} (409), {@link PreconditionFailedException} (412) or not found (404);
     * an outcome with status awaiting-approval when a person must approve first.
     */
    public Uni<Outcome> promote(Command c) {
        environments.require(c.environment());
        Strategy strategy = c.strategy() != null ? c.strategy() : environments.defaultStrategy(c.environment());
        CanaryPolicy policy = strategy == Strategy.CANARY ? (c.canary() != null ? c.canary() : defaultCanary) : null;
        return Panache.withSession(() -> earlier(c))
                .chain(earlier -> earlier != null ? replay(earlier) : run(c, strategy, policy, null, null));
    }

    /** The promotion, if it belongs to this model and environment. */
    public Uni<PromotionRecord> get(String model, String environment, String id) {
        environments.require(environment);
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.find(PromotionRecord.class, id)))
                .map(p -> {
                    if (p == null || !p.model.equals(model) || !p.environment.equals(environment)) {
                        throw new NotFoundException("promotion '" + id + "' of model '" + model + "' in '" + environment + "' does not exist");
                    }
                    return p;
                });
    }

    /** A person approves (the gates run again, the approval passing) or rejects a promotion awaiting approval. */
    public Uni<Outcome> decide(String model, String environment, String id, boolean approved, String reason, String actor) {
        return get(model, environment, id).chain(p -> {
            if (!PromotionRecord.AWAITING_APPROVAL.equals(p.status)) {
                throw new ConflictException("promotion '" + id + "' is " + p.status + "; only a promotion awaiting approval can be approved or rejected");
            }
            Instant now = Times.now();
            Strategy strategy = Strategy.of(p.strategy);
            CanaryPolicy policy = p.canaryPolicy == null ? null : p.canaryPolicy.toPolicy();
            if (!approved) {
                return Panache.withTransaction(() -> rejectApproval(p.id, actor, reason, now));
            }
            if (actor.equals(p.requestedBy)) {
                throw new SelfApprovalException(actor, id); // the gate is a second person's judgement
            }
            Command c = new Command(model, environment, p.version, strategy, p.reason, actor, p.source, null, null, null, policy,
                    p.evidence);
            return run(c, strategy, policy, p.id, new GateInput.Approval(actor, now, reason));
        });
    }

    /**
     * Records a promotion that could not even be tried (another rollout runs): for requests that
     * arrive as events, where nobody reads a 409.
     */
    public Uni<Void> recordRefusal(Command c, String detail) {
        Strategy strategy = c.strategy() != null ? c.strategy() : environments.defaultStrategy(c.environment());
        Instant now = Times.now();
        String id = UUID.randomUUID().toString();
        return Panache.withTransaction(() -> store.current(c.model(), c.environment()).chain(current -> {
            PromotionRecord p = newRecord(id, c, strategy, null, now);
            p.status = PromotionRecord.REFUSED;
            p.checks = new PromotionRecord.Checks(List.of());
            p.decidedAt = now;
            p.decidedBy = "deploy";
            return Panache.getSession().chain(session -> session.persist(p))
                    .chain(() -> store.note(current, HistoryEntry.PROMOTION_REFUSED, c.version(), strategy.id(), c.actor(), c.reason(),
                            "promotion of version " + c.version() + " refused: " + detail, Map.of("source", c.source()), id, now))
                    .chain(() -> outbox.add(c.model(), PromotionRejected.TYPE, PromotionRejected.of(c.model(), c.environment(),
                            c.version(), strategy.id(), "conflict", detail, List.of(), c.actor(), id, now)));
        }));
    }

    private Uni<PromotionRecord> earlier(PromotionService.Command c) {
        if (c.sourceEventId() != null) {
            return Panache.getSession().chain(session -> session.createQuery("from PromotionRecord where sourceEventId = :id",
                            PromotionRecord.class).setParameter("id", c.sourceEventId()).getSingleResultOrNull());
        }
        if (c.idempotencyKey() != null) {
            return Panache.getSession().chain(session -> session.createQuery(
                            "from PromotionRecord where model = :model and environment = :environment and idempotencyKey = :key",
                            PromotionRecord.class)
                    .setParameter("model", c.model())
                    .setParameter("environment", c.environment())
                    .setParameter("key", c.idempotencyKey())
                    .getSingleResultOrNull());
        }
        return Uni.createFrom().nullItem();
    }

    private Uni<Outcome> replay(PromotionRecord earlier) {
        if (PromotionRecord.REJECTED.equals(earlier.status)) {
            return Uni.createFrom().failure(new GateFailedException(earlier.id, new GateVerdict(earlier.checkList())));
        }
        return Panache.withSession(() -> store.current(earlier.model, earlier.environment))
                .map(current -> new Outcome(earlier, current, true));
    }

    private Uni<Outcome> run(Command c, Strategy strategy, CanaryPolicy policy, String existingId, GateInput.Approval approval) {
        String id = existingId != null ? existingId : UUID.randomUUID().toString();
        Instant now = Times.now();
        return Panache.withSession(() -> store.current(c.model(), c.environment()))
                .chain(before -> {
                    DeploymentStore.checkIfMatch(c.ifMatch(), before);
                    before.promote(c.version(), strategy, policy, 0, id, now); // a conflict fails here, before any registry call
                    return facts(c, before, approval, now).map(input -> new Judged(before, gates.evaluate(input)));
                })
                .chain(judged -> {
                    GateVerdict verdict = judged.verdict();
                    if (verdict.failure().isPresent()) {
                        count(c.environment(), "rejected");
                        return Panache.withTransaction(() -> reject(c, strategy, policy, id, existingId != null, judged.before(), verdict, now))
                                .chain(() -> Uni.createFrom().failure(new GateFailedException(id, verdict)));
                    }
                    if (verdict.awaitingApproval()) {
                        count(c.environment(), "awaiting-approval");
                        return Panache.withTransaction(() -> awaitApproval(c, strategy, policy, id, judged.before(), verdict, now))
                                .map(p -> new Outcome(p, judged.before(), false));
                    }
                    return Panache.withTransaction(() -> apply(c, strategy, policy, id, existingId != null, judged.before().revision(),
                                    verdict, approval, now))
                            .call(outcome -> serving.refresh(c.model(), c.environment()))
                            .invoke(outcome -> {
                                count(c.environment(), "applied");
                                Log.infof("promoted %s version %d in %s (%s) for %s", c.model(), c.version(), c.environment(),
                                        strategy.id(), c.actor());
                            });
                });
    }

    /** What the gates judge: the registry's word on both versions, the runtime's on the artifact, deploy's own soak record. */
    private Uni<GateInput> facts(Command c, Deployment before, GateInput.Approval approval, Instant now) {
        Integer championVersion = before.primary() != null && before.primary() != c.version() ? before.primary() : null;
        return registry.version(c.model(), c.version()).chain(candidate -> champion(c.model(), championVersion)
                .chain(champion -> servable(candidate)
                        .chain(servable -> soak(c, now)
                                .map(soak -> new GateInput(c.environment(), facts(candidate), champion.map(this::facts).orElse(null),
                                        servable, soak, approval, now)))));
    }

    private Uni<Optional<RegistryVersion>> champion(String model, Integer version) {
        if (version == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return registry.version(model, version).map(Optional::of)
                .onFailure(NotFoundException.class).recoverWithItem(Optional.empty());
    }

    private Uni<String> servable(RegistryVersion candidate) {
        if (!candidate.isReady()) {
            return Uni.createFrom().nullItem(); // the finalised gate fails first; this one is not run
        }
        return models.get(candidate.model(), candidate.version()).map(loaded -> (String) null)
                .onFailure(ModelCache.NotServableException.class).recoverWithItem(Throwable::getMessage);
    }

    private Uni<GateInput.SoakFacts> soak(Command c, Instant now) {
        if (!gates.policy().requiresSoak(c.environment())) {
            return Uni.createFrom().nullItem();
        }
        String from = gates.policy().soakFrom();
        return Panache.withSession(() -> store.current(c.model(), from).chain(soakDeployment -> {
            Instant since = liveSince(soakDeployment, c.version());
            if (since == null) {
                return Uni.createFrom().item(new GateInput.SoakFacts(from, null, 0, List.of()));
            }
            return samples.served(c.model(), from, c.version())
                    .chain(served -> signals.degradationsSince(c.model(), c.version(), since)
                            .map(degradations -> new GateInput.SoakFacts(from, since, served, degradations)));
        }));
    }

    private static Instant liveSince(Deployment d, int version) {
        if (d.primary() != null && d.primary() == version) {
            return d.primarySince();
        }
        if (d.candidate() != null && d.candidate().version() == version) {
            return d.candidate().since();
        }
        return null;
    }

    private GateInput.VersionFacts facts(RegistryVersion v) {
        return new GateInput.VersionFacts(v.version(), v.isReady(), v.metrics(), headToHead(v));
    }

    /** Retraining's evaluation report, when the version carries one that names the champion it beat. */
    private GateInput.HeadToHead headToHead(RegistryVersion v) {
        String report = v.tags() == null ? null : v.tags().get(RegistryVersion.EVALUATION_REPORT_TAG);
        if (report == null) {
            return null;
        }
        try {
            var node = json.readTree(report);
            if (!node.path("champion_version").canConvertToInt() || !node.path("champion").isObject()) {
                return null;
            }
            return new GateInput.HeadToHead(node.path("champion_version").asInt(),
                    json.convertValue(node.path("candidate"), METRICS),
                    json.convertValue(node.path("champion"), METRICS));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null; // a report we can't read is no evidence: the registered metrics decide
        }
    }

    private Uni<Outcome> apply(Command c, Strategy strategy, CanaryPolicy policy, String id, boolean existing, long judgedRevision,
                               GateVerdict verdict, GateInput.Approval approval, Instant now) {
        return store.lock(c.model(), c.environment()).chain(row -> {
            Deployment current = row.toDomain();
            if (current.revision() != judgedRevision) {
                if (c.ifMatch() != null && !c.ifMatch().isBlank()) {
                    throw new PreconditionFailedException("the deployment of '" + c.model() + "' in '" + c.environment()
                            + "' changed while this promotion was checked: its ETag is now " + DeploymentStore.etag(current)
                            + "; GET it, then decide again");
                }
                throw new ConflictException("the deployment of '" + c.model() + "' in '" + c.environment()
                        + "' changed while this promotion was checked (revision " + judgedRevision + ", now " + current.revision()
                        + ", " + current.status() + "); GET it, then decide again");
            }
            return samples.served(c.model(), c.environment(), c.version()).chain(served -> {
                Transition t = current.promote(c.version(), strategy, policy, served, id, now);
                Map<String, Object> evidence = evidence(verdict, c);
                return record(id, existing, c, strategy, policy, PromotionRecord.APPLIED, verdict.checks(), now,
                        approval == null ? "deploy" : approval.by())
                        .chain(p -> store.record(row, t, strategy.id(), c.actor(), c.reason(), evidence, id, now)
                                .replaceWith(new Outcome(p, t.after(), false)));
            });
        });
    }

    private Uni<Void> reject(Command c, Strategy strategy, CanaryPolicy policy, String id, boolean existing, Deployment before,
                             GateVerdict verdict, Instant now) {
        GateCheck failed = verdict.failure().orElseThrow();
        return record(id, existing, c, strategy, policy, PromotionRecord.REJECTED, verdict.checks(), now, "deploy")
                .chain(p -> rejected(p, before, c.actor(), c.reason(), failed, verdict.checks(), evidence(verdict, c), now));
    }

    private Uni<PromotionRecord> awaitApproval(Command c, Strategy strategy, CanaryPolicy policy, String id, Deployment before,
                                               GateVerdict verdict, Instant now) {
        return record(id, false, c, strategy, policy, PromotionRecord.AWAITING_APPROVAL, verdict.checks(), null, null)
                .call(p -> store.note(before, HistoryEntry.AWAITING_APPROVAL, c.version(), strategy.id(), c.actor(), c.reason(),
                        "promotion of version " + c.version() + " passed its gates and awaits a manual approval (promotion " + id + ")",
                        evidence(verdict, c), id, now));
    }

    private Uni<Outcome> rejectApproval(String id, String actor, String reason, Instant now) {
        return Panache.getSession().chain(session -> session.find(PromotionRecord.class, id)).chain(p -> {
            if (!PromotionRecord.AWAITING_APPROVAL.equals(p.status)) {
                throw new ConflictException("promotion '" + id + "' is " + p.status + " already");
            }
            List<GateCheck> checks = new ArrayList<>();
            GateCheck refusal = new GateCheck(PromotionGates.APPROVAL, GateCheck.Status.FAILED,
                    "rejected by " + actor + (reason == null || reason.isBlank() ? "" : ": " + reason),
                    reason == null ? Map.of("rejected_by", actor) : Map.of("rejected_by", actor, "reason", reason));
            for (GateCheck check : p.checkList()) {
                checks.add(PromotionGates.APPROVAL.equals(check.gate()) ? refusal : check);
            }
            p.status = PromotionRecord.REJECTED;
            p.checks = new PromotionRecord.Checks(checks);
            p.decidedAt = now;
            p.decidedBy = actor;
            count(p.environment, "rejected");
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("checks", GateViews.toMaps(checks));
            return store.current(p.model, p.environment)
                    .chain(current -> rejected(p, current, actor, reason, refusal, checks, evidence, now)
                            .replaceWith(new Outcome(p, current, false)));
        });
    }

    private Uni<Void> rejected(PromotionRecord p, Deployment current, String actor, String reason, GateCheck failed,
                               List<GateCheck> checks, Map<String, Object> evidence, Instant now) {
        return store.note(current, HistoryEntry.GATE_FAILED, p.version, p.strategy, actor, reason,
                        "promotion of version " + p.version + " rejected: " + failed.summary(), evidence, p.id, now)
                .chain(() -> outbox.add(p.model, PromotionRejected.TYPE, PromotionRejected.of(p.model, p.environment, p.version,
                        p.strategy, failed.gate(), failed.detail(),
                        checks.stream().map(ch -> new PromotionRejected.Check(ch.gate(), ch.status().id(), ch.detail())).toList(),
                        actor, p.id, now)));
    }

    private Uni<PromotionRecord> record(String id, boolean existing, Command c, Strategy strategy, CanaryPolicy policy,
                                        String status, List<GateCheck> checks, Instant decidedAt, String decidedBy) {
        Uni<PromotionRecord> row = existing
                ? Panache.getSession().chain(session -> session.find(PromotionRecord.class, id))
                : Uni.createFrom().item(() -> newRecord(id, c, strategy, policy, Times.now()));
        return row.chain(p -> {
            p.status = status;
            p.checks = new PromotionRecord.Checks(checks);
            p.decidedAt = decidedAt;
            p.decidedBy = decidedBy;
            return existing ? Uni.createFrom().item(p) : Panache.getSession().chain(session -> session.persist(p)).replaceWith(p);
        });
    }

    private static PromotionRecord newRecord(String id, Command c, Strategy strategy, CanaryPolicy policy, Instant now) {
        PromotionRecord p = new PromotionRecord();
        p.id = id;
        p.model = c.model();
        p.environment = c.environment();
        p.version = c.version();
        p.strategy = strategy.id();
        p.reason = c.reason();
        p.requestedBy = c.actor();
        p.source = c.source();
        p.sourceEventId = c.sourceEventId();
        p.idempotencyKey = c.idempotencyKey();
        p.canaryPolicy = DeploymentRow.StoredPolicy.of(policy);
        p.evidence = c.evidence() == null ? Map.of() : c.evidence();
        p.createdAt = now;
        return p;
    }

    private static Map<String, Object> evidence(GateVerdict verdict, Command c) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("checks", GateViews.toMaps(verdict.checks()));
        evidence.put("source", c.source());
        if (c.evidence() != null && !c.evidence().isEmpty()) {
            evidence.put("request", c.evidence());
        }
        return evidence;
    }

    private void count(String environment, String outcome) {
        Counter.builder("deploy.promotions").description("Promotions by environment and outcome")
                .tag("environment", environment).tag("outcome", outcome).register(meters).increment();
    }
}
