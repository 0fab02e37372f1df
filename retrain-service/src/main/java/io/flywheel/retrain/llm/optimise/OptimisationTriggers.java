package io.flywheel.retrain.llm.optimise;

import io.flywheel.events.QualityDegraded;
import io.flywheel.retrain.RetrainException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The monitor's {@code llm_score} degradations of a prompt version as optimisation triggers: the prompt's policy
 * and recent optimisations decide ({@link Optimisations#trigger}), the trigger is recorded with the decision and its
 * reason, and an accepted one starts the policy's optimisation as retrain-service itself. The same event delivered
 * twice, or another reporting the same version, score and window, starts at most one. A start the optimisation
 * refuses (the policy's dataset was deleted, the prompt has no production version) is recorded as refused, with why.
 */
@ApplicationScoped
public class OptimisationTriggers {

    /** The principal event-started optimisations run as: the service on its own. */
    static final String ACTOR = "retrain-service";

    /** A recorded trigger. */
    public record Recorded(long seq, String project, String prompt, Integer version, String eventId, String dedupeKey, Instant receivedAt,
                           String decision, String rule, String reason, String optimisationId) {
    }

    private final Pool db;
    private final OptimisationPolicies policies;
    private final OptimisationStore store;
    private final OptimisationService optimisations;

    public OptimisationTriggers(Pool db, OptimisationPolicies policies, OptimisationStore store, OptimisationService optimisations) {
        this.db = db;
        this.policies = policies;
        this.store = store;
        this.optimisations = optimisations;
    }

    /** The dedupe key of a degradation: the same prompt version, score and window is the same report. */
    public static String dedupeKey(QualityDegraded e) {
        return "llm_score:" + e.llm().scoreName() + ":" + e.llm().promptName() + ":v" + e.llm().promptVersion() + ":" + e.windowStart() + "/"
                + e.windowEnd();
    }

    public Uni<Recorded> submit(QualityDegraded e, String eventId) {
        String project = e.llm().project();
        String prompt = e.llm().promptName();
        String key = dedupeKey(e);
        Instant now = Instant.now();
        return db.preparedQuery("SELECT seq FROM llm_prompt_optimisation_trigger WHERE project = $1 AND prompt = $2 "
                        + "AND (event_id = $3 OR dedupe_key = $4) ORDER BY seq LIMIT 1")
                .execute(Tuple.of(project, prompt, eventId, key))
                .chain(rows -> {
                    Long first = rows.iterator().hasNext() ? rows.iterator().next().getLong("seq") : null;
                    return policies.find(project, prompt).chain(policy -> store.latest(project, prompt).chain(latest -> {
                        String duplicateOf = first == null ? null : "trigger " + first + " reported the same " + key;
                        String active = latest.filter(o -> !o.finished()).map(PromptOptimisation::id).orElse(null);
                        Instant lastAt = latest.map(o -> o.finishedAt() != null ? o.finishedAt() : o.createdAt()).orElse(null);
                        Optimisations.TriggerVerdict verdict = Optimisations.trigger(prompt, policy.isPresent(),
                                policy.map(OptimisationPolicies.Policy::enabled).orElse(false), duplicateOf, active, lastAt,
                                latest.map(PromptOptimisation::id).orElse(null),
                                policy.map(OptimisationPolicies.Policy::cooldown).orElse(OptimisationPolicies.DEFAULT_COOLDOWN), now);
                        if (!verdict.accepted()) {
                            return record(project, prompt, e, eventId, key, now, "refused", verdict.rule(), verdict.reason(), null);
                        }
                        return Uni.createFrom().deferred(() -> optimisations.start(project, ACTOR, policies.request(policy.orElseThrow()),
                                        new OptimisationStore.Origin("quality", eventId, key, null, ACTOR)))
                                .chain(created -> record(project, prompt, e, eventId, key, now, "accepted", null,
                                        "accepted: optimisation " + created.optimisation().id() + " started (" + e.llm().scoreName() + " of version "
                                                + e.llm().promptVersion() + " was " + e.value() + ", threshold " + e.threshold() + ")",
                                        created.optimisation().id()))
                                // the optimisation refused to start: recorded, not retried (the event can't change that)
                                .onFailure(RetrainException.class).recoverWithUni(f -> record(project, prompt, e, eventId, key, now, "refused",
                                        "invalid", "the policy's optimisation could not start: " + f.getMessage(), null));
                    }));
                })
                .invoke(t -> Log.infof("optimisation trigger %d (event %s) for prompt '%s' of project %s: %s — %s", t.seq(), eventId, prompt,
                        project, t.decision(), t.reason()));
    }

    private Uni<Recorded> record(String project, String prompt, QualityDegraded e, String eventId, String key, Instant now, String decision,
                                 String rule, String reason, String optimisationId) {
        return db.preparedQuery("INSERT INTO llm_prompt_optimisation_trigger (project, prompt, version, event_id, dedupe_key, received_at, decision, "
                        + "rule, reason, optimisation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq")
                .execute(Tuple.from(Arrays.asList(project, prompt, e.llm().promptVersion(), eventId, key, now.atOffset(java.time.ZoneOffset.UTC),
                        decision, rule, reason, optimisationId)))
                .map(rows -> new Recorded(rows.iterator().next().getLong("seq"), project, prompt, e.llm().promptVersion(), eventId, key, now,
                        decision, rule, reason, optimisationId));
    }

    /** A prompt's triggers (every prompt's when null), newest first. */
    public Uni<List<Recorded>> list(String project, String prompt, int offset, int limit) {
        String where = prompt == null ? "project = $1" : "project = $1 AND prompt = $4";
        Tuple args = prompt == null ? Tuple.of(project, limit, offset) : Tuple.of(project, limit, offset, prompt);
        return db.preparedQuery("SELECT * FROM llm_prompt_optimisation_trigger WHERE " + where + " ORDER BY seq DESC LIMIT $2 OFFSET $3")
                .execute(args).map(rows -> {
                    List<Recorded> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Recorded(r.getLong("seq"), r.getString("project"), r.getString("prompt"), r.getInteger("version"),
                                r.getString("event_id"), r.getString("dedupe_key"), r.getOffsetDateTime("received_at").toInstant(),
                                r.getString("decision"), r.getString("rule"), r.getString("reason"), r.getString("optimisation_id")));
                    }
                    return out;
                });
    }
}
