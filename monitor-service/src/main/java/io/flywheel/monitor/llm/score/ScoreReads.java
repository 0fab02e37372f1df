package io.flywheel.monitor.llm.score;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one score name of a project attached to prompt versions or models: a score on an observation
 * belongs to that observation's prompt version (or model); a trace-level score to every distinct
 * prompt version (or model) of its trace's observations. Scores on sessions and dataset runs, TEXT
 * scores and scores whose observation carries no prompt (or model) belong to no group.
 */
@ApplicationScoped
public class ScoreReads {

    /** The attached scores of $1 (project), $2 (name) in [$3, $4), with prompt_name, prompt_version, model. */
    private static String attached(ScoreGroup.By by) {
        String group = by == ScoreGroup.By.PROMPT
                ? "o.prompt_name, o.prompt_version, NULL::text AS model"
                : "NULL::text AS prompt_name, NULL::integer AS prompt_version, o.model";
        String present = by == ScoreGroup.By.PROMPT ? "o.prompt_name IS NOT NULL AND o.prompt_version IS NOT NULL" : "o.model IS NOT NULL";
        return """
                WITH s AS (
                  SELECT id, trace_id, observation_id, data_type, value, string_value, timestamp FROM llm_score
                  WHERE project = $1 AND name = $2 AND timestamp >= $3 AND timestamp < $4
                    AND data_type IN ('NUMERIC', 'BOOLEAN', 'CATEGORICAL')
                ), a AS (
                  SELECT s.id, s.data_type, s.value, s.string_value, s.timestamp, %1$s
                  FROM s JOIN llm_observation o ON o.project = $1 AND o.id = s.observation_id
                  WHERE %2$s
                  UNION
                  SELECT s.id, s.data_type, s.value, s.string_value, s.timestamp, %1$s
                  FROM s JOIN llm_observation o ON o.project = $1 AND o.trace_id = s.trace_id
                  WHERE s.observation_id IS NULL AND %2$s
                )
                """.formatted(group, present);
    }

    private final Pool db;

    public ScoreReads(Pool db) {
        this.db = db;
    }

    /** The cells of a series: per group, bucket of {@code interval} from {@code from}, and category label. */
    public Uni<List<ScoreSeries.Cell>> cells(ScoreSeries.Request r) {
        String sql = attached(r.groupBy()) + """
                SELECT prompt_name, prompt_version, model, date_bin(make_interval(secs => $5), timestamp, $3) AS start,
                  CASE WHEN data_type = 'CATEGORICAL' THEN string_value END AS label, count(*) AS n,
                  count(value) FILTER (WHERE data_type <> 'CATEGORICAL') AS numeric_n,
                  COALESCE(sum(value) FILTER (WHERE data_type <> 'CATEGORICAL'), 0) AS numeric_sum
                FROM a GROUP BY 1, 2, 3, 4, 5""";
        return db.preparedQuery(sql).execute(Tuple.from(List.of(r.project(), r.name(), time(r.from()), time(r.to()),
                        (double) r.interval().toSeconds())))
                .map(rows -> {
                    List<ScoreSeries.Cell> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(new ScoreSeries.Cell(group(row), row.getOffsetDateTime("start").toInstant(), row.getString("label"),
                                row.getLong("n"), row.getLong("numeric_n"), row.getDouble("numeric_sum")));
                    }
                    return out;
                });
    }

    /** The attached scores one by one, at most {@code limit}: the newest ones when there are more. */
    public Uni<List<ScoreMonitor.Sample>> samples(String project, String name, ScoreGroup.By by, Instant from, Instant to, int limit) {
        String sql = attached(by) + "SELECT prompt_name, prompt_version, model, timestamp, data_type, value, string_value FROM a "
                + "ORDER BY timestamp DESC LIMIT $5";
        return db.preparedQuery(sql).execute(Tuple.from(List.of(project, name, time(from), time(to), limit))).map(rows -> {
            List<ScoreMonitor.Sample> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new ScoreMonitor.Sample(group(row), row.getOffsetDateTime("timestamp").toInstant(), row.getString("data_type"),
                        row.getDouble("value"), row.getString("string_value")));
            }
            return out;
        });
    }

    private static ScoreGroup group(Row row) {
        return new ScoreGroup(row.getString("prompt_name"), row.getInteger("prompt_version"), row.getString("model"));
    }

    private static OffsetDateTime time(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
