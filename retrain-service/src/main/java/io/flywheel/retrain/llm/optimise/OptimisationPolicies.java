package io.flywheel.retrain.llm.optimise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Optimisation policies, per project and prompt: what an {@code llm_score} degradation of the prompt starts
 * ({@code optimisation}: the request of {@code POST /api/v1/evaluation/optimisations} without project and prompt),
 * whether it may ({@code enabled}, default true) and how often ({@code cooldown}, ISO-8601, default PT24H).
 */
@ApplicationScoped
public class OptimisationPolicies {

    static final Duration DEFAULT_COOLDOWN = Duration.ofHours(24);

    /** A policy as stored: every default filled in. */
    public record Policy(String project, String prompt, boolean enabled, Duration cooldown, JsonNode optimisation, Instant updatedAt,
                         String updatedBy) {
    }

    /** The document as sent. */
    public record Document(Boolean enabled, String cooldown, JsonNode optimisation) {
    }

    private final Pool db;
    private final OptimisationService optimisations;
    private final ObjectMapper strict;

    public OptimisationPolicies(Pool db, OptimisationService optimisations, ObjectMapper json) {
        this.db = db;
        this.optimisations = optimisations;
        this.strict = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Creates or replaces the prompt's policy; the answer says whether it was new. */
    public Uni<Optional<Boolean>> put(String project, String prompt, JsonNode body, String actor) {
        Policy policy;
        try {
            policy = parse(project, prompt, body, null, actor);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        ObjectNode document = OptimisationStore.JSON.createObjectNode();
        document.put("enabled", policy.enabled());
        document.put("cooldown", policy.cooldown().toString());
        document.set("optimisation", policy.optimisation());
        return db.preparedQuery("INSERT INTO llm_prompt_optimisation_policy AS p (project, prompt, document, created_at, updated_at, updated_by) "
                        + "VALUES ($1, $2, $3, now(), now(), $4) ON CONFLICT (project, prompt) DO UPDATE SET document = EXCLUDED.document, "
                        + "updated_at = now(), updated_by = EXCLUDED.updated_by RETURNING (xmax = 0) AS created")
                .execute(Tuple.of(project, prompt, OptimisationStore.text(document), actor))
                .map(rows -> Optional.of(rows.iterator().next().getBoolean("created")));
    }

    public Uni<Optional<Policy>> find(String project, String prompt) {
        return db.preparedQuery("SELECT document, updated_at, updated_by FROM llm_prompt_optimisation_policy WHERE project = $1 AND prompt = $2")
                .execute(Tuple.of(project, prompt))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return Optional.empty();
                    }
                    Row r = it.next();
                    try {
                        return Optional.of(parse(project, prompt, OptimisationStore.json(r.getString("document")),
                                r.getOffsetDateTime("updated_at").toInstant(), r.getString("updated_by")));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("a stored optimisation policy does not parse", e);
                    }
                });
    }

    public Uni<Policy> get(String project, String prompt) {
        return find(project, prompt).map(p -> p.orElseThrow(() -> new NotFoundException("optimisation policy of prompt", prompt)));
    }

    /** The request an accepted trigger starts. */
    public OptimisationRequest request(Policy policy) {
        try {
            ObjectNode r = policy.optimisation().deepCopy();
            r.put("project", policy.project());
            r.put("prompt", policy.prompt());
            return strict.treeToValue(r, OptimisationRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored optimisation policy does not parse", e);
        }
    }

    private Policy parse(String project, String prompt, JsonNode body, Instant updatedAt, String updatedBy) throws JsonProcessingException {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("the policy is a JSON object {\"enabled\", \"cooldown\", \"optimisation\"}");
        }
        Document d = strict.treeToValue(body, Document.class);
        Duration cooldown = DEFAULT_COOLDOWN;
        if (d.cooldown() != null) {
            try {
                cooldown = Duration.parse(d.cooldown());
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("cooldown is an ISO-8601 duration such as PT24H, was '" + d.cooldown() + "'");
            }
            if (cooldown.isNegative()) {
                throw new InvalidRequestException("cooldown must not be negative, was " + d.cooldown());
            }
        }
        if (d.optimisation() == null || !d.optimisation().isObject()) {
            throw new InvalidRequestException("optimisation is required: the optimisation to start, as POST /api/v1/evaluation/optimisations "
                    + "takes it, without project and prompt");
        }
        if (d.optimisation().has("project") || d.optimisation().has("prompt")) {
            throw new InvalidRequestException("optimisation.project and optimisation.prompt are the policy's own (the path and ?project=): leave them out");
        }
        ObjectNode asked = d.optimisation().deepCopy();
        asked.put("prompt", prompt);
        try {
            optimisations.check(strict.treeToValue(asked, OptimisationRequest.class));
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException("optimisation." + e.getMessage());
        }
        return new Policy(project, prompt, d.enabled() == null || d.enabled(), cooldown, d.optimisation(), updatedAt, updatedBy);
    }
}
