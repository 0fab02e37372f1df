package io.flywheel.monitor.llm.score;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.ScoreUpserted;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Score configs of a project in {@code llm_score_config}: created, listed, read, patched (never deleted, only archived). */
@ApplicationScoped
public class ScoreConfigStore {

    /** A config that breaks {@link ScoreConfigRules}; the resources answer it in their own error shape. */
    public static class Invalid extends RuntimeException {
        public Invalid(List<String> problems) {
            super(String.join("; ", problems), null, false, false);
        }
    }

    /** The fields a PATCH may change; null leaves one as it is. The data type never changes. */
    public record Patch(String name, String description, Double minValue, Double maxValue, List<ScoreConfig.Category> categories,
                        Boolean isArchived) {
    }

    private static final String COLUMNS = "project, id, name, data_type, is_archived, min_value, max_value, categories, description, "
            + "created_at, updated_at";

    private final Pool db;
    private final ObjectMapper json;

    public ScoreConfigStore(Pool db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Uni<ScoreConfig> create(String project, ScoreConfigRules.Draft draft) {
        List<String> problems = ScoreConfigRules.problems(draft);
        if (!problems.isEmpty()) {
            return Uni.createFrom().failure(new Invalid(problems));
        }
        return db.preparedQuery("INSERT INTO llm_score_config (project, id, name, data_type, min_value, max_value, categories, description) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8) RETURNING " + COLUMNS)
                .execute(Tuple.from(java.util.Arrays.asList(project, UUID.randomUUID().toString(), draft.name(), draft.dataType(),
                        draft.minValue(), draft.maxValue(), categories(ScoreConfigRules.categoriesOf(draft)), draft.description())))
                .map(rows -> config(rows.iterator().next()));
    }

    /** Page {@code page} (from 1) of a project's configs, newest first, and how many it has. */
    public Uni<List<ScoreConfig>> page(String project, int page, int limit) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM llm_score_config WHERE project = $1 ORDER BY created_at DESC, id "
                        + "LIMIT $2 OFFSET $3")
                .execute(Tuple.of(project, limit, (long) (page - 1) * limit)).map(ScoreConfigStore::configs);
    }

    public Uni<Long> count(String project) {
        return db.preparedQuery("SELECT count(*) FROM llm_score_config WHERE project = $1").execute(Tuple.of(project))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Optional<ScoreConfig>> get(String project, String id) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM llm_score_config WHERE project = $1 AND id = $2")
                .execute(Tuple.of(project, id)).map(rows -> configs(rows).stream().findFirst());
    }

    /** The config patched and checked again as a whole; empty when the project has no such config. */
    public Uni<Optional<ScoreConfig>> patch(String project, String id, Patch p) {
        return db.withTransaction(conn -> conn.preparedQuery("SELECT " + COLUMNS + " FROM llm_score_config WHERE project = $1 AND id = $2 FOR UPDATE")
                .execute(Tuple.of(project, id)).chain(rows -> {
                    Optional<ScoreConfig> found = configs(rows).stream().findFirst();
                    if (found.isEmpty()) {
                        return Uni.createFrom().item(Optional.<ScoreConfig>empty());
                    }
                    ScoreConfig c = found.get();
                    ScoreConfigRules.Draft d = new ScoreConfigRules.Draft(or(p.name(), c.name()), c.dataType(),
                            "CATEGORICAL".equals(c.dataType()) ? or(p.categories(), c.categories()) : p.categories(),
                            or(p.minValue(), c.minValue()), or(p.maxValue(), c.maxValue()), or(p.description(), c.description()));
                    List<String> problems = ScoreConfigRules.problems(d);
                    if (!problems.isEmpty()) {
                        return Uni.createFrom().failure(new Invalid(problems));
                    }
                    return conn.preparedQuery("UPDATE llm_score_config SET name = $3, min_value = $4, max_value = $5, "
                                    + "categories = $6::text::jsonb, description = $7, is_archived = $8, updated_at = now() "
                                    + "WHERE project = $1 AND id = $2 RETURNING " + COLUMNS)
                            .execute(Tuple.from(java.util.Arrays.asList(project, id, d.name(), d.minValue(), d.maxValue(),
                                    categories(ScoreConfigRules.categoriesOf(d)), d.description(), or(p.isArchived(), c.isArchived()))))
                            .map(updated -> configs(updated).stream().findFirst());
                }));
    }

    /** The configs these scores name, by project and id, read through the caller's connection (the consumer's transaction). */
    public Uni<Map<String, ScoreConfig>> named(SqlClient conn, Collection<ScoreUpserted> scores) {
        List<ScoreUpserted> naming = scores.stream().filter(s -> s.configId() != null).toList();
        if (naming.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] projects = naming.stream().map(ScoreUpserted::project).toArray(String[]::new);
        String[] ids = naming.stream().map(ScoreUpserted::configId).toArray(String[]::new);
        return conn.preparedQuery("SELECT " + COLUMNS.replaceAll("(\\w+)", "c.$1") + " FROM llm_score_config c "
                        + "JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[])) AS k(project, id) ON c.project = k.project AND c.id = k.id")
                .execute(Tuple.of(projects, ids)).map(rows -> {
                    Map<String, ScoreConfig> out = new HashMap<>();
                    for (ScoreConfig c : configs(rows)) {
                        out.put(key(c.project(), c.id()), c);
                    }
                    return out;
                });
    }

    public static String key(String project, String id) {
        return project + "\n" + id;
    }

    private String categories(List<ScoreConfig.Category> categories) {
        if (categories == null || categories.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(categories);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ScoreConfig> configs(RowSet<Row> rows) {
        List<ScoreConfig> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(config(r));
        }
        return out;
    }

    private static ScoreConfig config(Row r) {
        List<ScoreConfig.Category> categories = new ArrayList<>();
        JsonArray a = (JsonArray) r.getJson("categories");
        if (a != null) {
            for (Object o : a) {
                JsonObject c = (JsonObject) o;
                categories.add(new ScoreConfig.Category(c.getDouble("value"), c.getString("label")));
            }
        }
        return new ScoreConfig(r.getString("project"), r.getString("id"), r.getString("name"), r.getString("data_type"),
                r.getBoolean("is_archived"), r.getDouble("min_value"), r.getDouble("max_value"), List.copyOf(categories),
                r.getString("description"), time(r.getOffsetDateTime("created_at")), time(r.getOffsetDateTime("updated_at")));
    }

    private static java.time.Instant time(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
