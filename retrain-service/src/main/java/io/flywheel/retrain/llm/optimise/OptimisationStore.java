package io.flywheel.retrain.llm.optimise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flywheel.events.PromptPromotionRequested;
import io.flywheel.outbox.Outbox;
import io.flywheel.retrain.AlreadyExistsException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Prompt optimisations ({@code llm_prompt_optimisation}) in SQL. The move to {@code promotion_requested} and its
 * {@link PromptPromotionRequested} event are one transaction through the outbox (Hibernate's session, as the
 * model jobs' moves), so deploy hears of a registered candidate exactly when the job says it asked.
 */
@ApplicationScoped
public class OptimisationStore {

    /** snake_case, as the API shows the stored request. */
    static final ObjectMapper JSON = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private static final String COLUMNS = "id, project, prompt_name, dataset_name, state, step, request, score_name, margin, baseline_version, "
            + "baseline_run_id, baseline_mean, candidates, best_index, best_mean, candidate_version, evidence, reason, error, trigger_kind, "
            + "trigger_event_id, created_by, created_at, updated_at, started_at, finished_at";

    /** A new optimisation, and whether it is an earlier one returned for the same Idempotency-Key. */
    public record Created(PromptOptimisation optimisation, boolean replayed) {
    }

    /** What starts an optimisation besides its request. */
    public record Origin(String triggerKind, String eventId, String dedupeKey, String idempotencyKey, String createdBy) {
    }

    private final Pool db;
    private final Outbox outbox;

    public OptimisationStore(Pool db, Outbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    public Uni<Created> create(String id, String project, String prompt, String dataset, JsonNode request, String scoreName, double margin,
                               int baselineVersion, JsonNode candidates, Origin origin) {
        return db.preparedQuery("INSERT INTO llm_prompt_optimisation (id, project, prompt_name, dataset_name, state, step, request, score_name, "
                        + "margin, baseline_version, candidates, trigger_kind, trigger_event_id, dedupe_key, idempotency_key, created_by, created_at, "
                        + "updated_at) VALUES ($1, $2, $3, $4, 'queued', 'queued', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now(), now()) "
                        + "ON CONFLICT (project, idempotency_key) DO NOTHING")
                .execute(Tuple.from(Arrays.asList(id, project, prompt, dataset, text(request), scoreName, margin, baselineVersion, text(candidates),
                        origin.triggerKind(), origin.eventId(), origin.dedupeKey(), origin.idempotencyKey(), origin.createdBy())))
                .onFailure(e -> e.getMessage() != null && e.getMessage().contains("llm_prompt_optimisation_one_active"))
                .transform(e -> new AlreadyExistsException("an optimisation of prompt '" + prompt + "' is already queued or running in project '"
                        + project + "': one at a time, since each registers candidates against the same production version"))
                .chain(rows -> rows.rowCount() == 1
                        ? byId(id).map(o -> new Created(o.orElseThrow(), false))
                        : db.preparedQuery("SELECT " + COLUMNS + " FROM llm_prompt_optimisation WHERE project = $1 AND idempotency_key = $2")
                        .execute(Tuple.of(project, origin.idempotencyKey()))
                        .map(found -> new Created(first(found).orElseThrow(), true)));
    }

    public Uni<Optional<PromptOptimisation>> byId(String id) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM llm_prompt_optimisation WHERE id = $1").execute(Tuple.of(id)).map(OptimisationStore::first);
    }

    /** A project's optimisations (of one prompt when {@code prompt} is given), newest first. */
    public Uni<List<PromptOptimisation>> list(String project, String prompt, int offset, int limit) {
        String where = prompt == null ? "project = $1" : "project = $1 AND prompt_name = $4";
        Tuple args = prompt == null ? Tuple.of(project, limit, offset) : Tuple.of(project, limit, offset, prompt);
        return db.preparedQuery("SELECT " + COLUMNS + " FROM llm_prompt_optimisation WHERE " + where
                        + " ORDER BY created_at DESC, id LIMIT $2 OFFSET $3")
                .execute(args).map(rows -> {
                    List<PromptOptimisation> out = new ArrayList<>();
                    rows.forEach(r -> out.add(row(r)));
                    return out;
                });
    }

    public Uni<Void> started(String id) {
        return db.preparedQuery("UPDATE llm_prompt_optimisation SET state = 'running', step = 'starting', started_at = now(), updated_at = now() "
                + "WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** The step it is at, and what is known so far (null values keep what is stored). */
    public Uni<Void> progress(String id, String step, String baselineRunId, Double baselineMean, JsonNode candidates) {
        return db.preparedQuery("UPDATE llm_prompt_optimisation SET step = $2, baseline_run_id = COALESCE($3, baseline_run_id), "
                        + "baseline_mean = COALESCE($4, baseline_mean), candidates = COALESCE($5, candidates), updated_at = now() WHERE id = $1")
                .execute(Tuple.from(Arrays.asList(id, step, baselineRunId, baselineMean, text(candidates)))).replaceWithVoid();
    }

    /** Ends the job {@code no_improvement} or {@code failed}. */
    public Uni<Void> finished(String id, String state, String reason, String error, Integer bestIndex, Double bestMean, JsonNode evidence) {
        return db.preparedQuery("UPDATE llm_prompt_optimisation SET state = $2, step = $2, reason = $3, error = $4, best_index = $5, best_mean = $6, "
                        + "evidence = COALESCE($7, evidence), finished_at = now(), updated_at = now() WHERE id = $1 AND state IN ('queued', 'running')")
                .execute(Tuple.from(Arrays.asList(id, state, reason, error, bestIndex, bestMean, text(evidence)))).replaceWithVoid();
    }

    /** The registered winner and deploy's request, in one transaction: the job's end and the event commit together. */
    public Uni<Void> promotionRequested(String id, int bestIndex, double bestMean, int candidateVersion, String reason,
                                        PromptPromotionRequested event) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("UPDATE llm_prompt_optimisation SET state = 'promotion_requested', "
                                + "step = 'promotion_requested', best_index = :best, best_mean = :mean, candidate_version = :version, "
                                + "evidence = :evidence, reason = :reason, finished_at = now(), updated_at = now() "
                                + "WHERE id = :id AND state = 'running'")
                        .setParameter("best", bestIndex)
                        .setParameter("mean", bestMean)
                        .setParameter("version", candidateVersion)
                        .setParameter("evidence", text(JSON.valueToTree(event.evidence())))
                        .setParameter("reason", reason)
                        .setParameter("id", id)
                        .executeUpdate())
                .chain(updated -> updated == 1 ? outbox.add(event.key(), PromptPromotionRequested.TYPE, event)
                        : Uni.createFrom().failure(new IllegalStateException("optimisation " + id + " is no longer running"))));
    }

    /** Optimisations this service was running when it stopped: they are not resumed, so they end failed, saying why. */
    public Uni<Integer> failInterrupted() {
        return db.preparedQuery("UPDATE llm_prompt_optimisation SET state = 'failed', step = 'failed', error = 'retrain-service stopped while "
                        + "the optimisation ran; start it again', finished_at = now(), updated_at = now() WHERE state IN ('queued', 'running')")
                .execute().map(RowSet::rowCount);
    }

    // ---- what triggers need: the prompt's recent optimisations

    /** The prompt's optimisations that are queued or running. */
    public Uni<Long> active(String project, String prompt) {
        return db.preparedQuery("SELECT count(*) FROM llm_prompt_optimisation WHERE project = $1 AND prompt_name = $2 AND state IN ('queued', 'running')")
                .execute(Tuple.of(project, prompt)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** When the prompt's latest optimisation ended (or started, while it runs), and its id; empty when none. */
    public Uni<Optional<PromptOptimisation>> latest(String project, String prompt) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM llm_prompt_optimisation WHERE project = $1 AND prompt_name = $2 "
                        + "ORDER BY created_at DESC, id LIMIT 1")
                .execute(Tuple.of(project, prompt)).map(OptimisationStore::first);
    }

    /** The optimisation an earlier event reporting the same thing (or the same event) started, if any. */
    public Uni<Optional<PromptOptimisation>> byTrigger(String project, String prompt, String eventId, String dedupeKey) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM llm_prompt_optimisation WHERE project = $1 AND prompt_name = $2 "
                        + "AND (trigger_event_id = $3 OR dedupe_key = $4) ORDER BY created_at LIMIT 1")
                .execute(Tuple.of(project, prompt, eventId, dedupeKey)).map(OptimisationStore::first);
    }

    // ---- rows

    private static Optional<PromptOptimisation> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(row(it.next())) : Optional.empty();
    }

    private static PromptOptimisation row(Row r) {
        return new PromptOptimisation(r.getString("id"), r.getString("project"), r.getString("prompt_name"), r.getString("dataset_name"),
                r.getString("state"), r.getString("step"), json(r.getString("request")), r.getString("score_name"), r.getDouble("margin"),
                r.getInteger("baseline_version"), r.getString("baseline_run_id"), r.getDouble("baseline_mean"), json(r.getString("candidates")),
                r.getInteger("best_index"), r.getDouble("best_mean"), r.getInteger("candidate_version"), json(r.getString("evidence")),
                r.getString("reason"), r.getString("error"), r.getString("trigger_kind"), r.getString("trigger_event_id"),
                r.getString("created_by"), instant(r, "created_at"), instant(r, "updated_at"), instant(r, "started_at"),
                instant(r, "finished_at"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static String text(JsonNode value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored JSON value does not parse", e);
        }
    }
}
