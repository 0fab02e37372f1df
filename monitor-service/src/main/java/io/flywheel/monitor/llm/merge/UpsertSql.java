package io.flywheel.monitor.llm.merge;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The statement that merges a batch of rows into a table by the rule of {@link Fields#merge}, one
 * statement for the whole batch: {@code $1} is a JSON array of objects with the key columns, each
 * merged column, and {@code field_times} (the received times in µs, null for fields not sent), read
 * with {@code jsonb_to_recordset}. Each key must appear once in a batch (merge them first).
 * Columns {@code onInsert} are written when the row is new and left alone when it merges with a stored
 * one (values derived from the merged fields, which the caller can only know for a new row).
 */
public final class UpsertSql {

    private UpsertSql() {
    }

    public static String of(String table, List<Column> keys, List<Column> merged, String returning) {
        return of(table, keys, merged, List.of(), returning);
    }

    public static String of(String table, List<Column> keys, List<Column> merged, List<Column> onInsert, String returning) {
        List<Column> written = Stream.of(keys, merged, onInsert).flatMap(List::stream).toList();
        String recordType = written.stream().map(c -> quote(c.name()) + " " + c.sqlType()).collect(Collectors.joining(", "))
                + ", field_times bigint[]";
        String insertColumns = written.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String sets = IntStream.range(0, merged.size()).mapToObj(i -> {
            String c = quote(merged.get(i).name());
            String sent = "EXCLUDED.field_times[" + (i + 1) + "]";
            String later = sent + " >= COALESCE(t.field_times[" + (i + 1) + "], 0)";
            String latest = "CASE WHEN " + later + " THEN EXCLUDED." + c + " ELSE t." + c + " END";
            return c + " = " + switch (merged.get(i).rule()) {
                case LATEST -> latest;
                case EARLIEST -> "LEAST(t." + c + ", EXCLUDED." + c + ")"; // LEAST ignores NULLs, as Fields does
                case UNION -> "CASE WHEN " + sent + " IS NULL OR t." + c + " IS NULL THEN " + latest
                        + " ELSE ARRAY(SELECT DISTINCT e FROM unnest(t." + c + " || EXCLUDED." + c + ") AS e WHERE e IS NOT NULL ORDER BY e) END";
                case MERGE -> "CASE WHEN " + sent + " IS NULL OR t." + c + " IS NULL OR jsonb_typeof(t." + c + ") <> 'object'"
                        + " OR jsonb_typeof(EXCLUDED." + c + ") <> 'object' THEN " + latest
                        + " WHEN " + later + " THEN t." + c + " || EXCLUDED." + c + " ELSE EXCLUDED." + c + " || t." + c + " END";
            };
        }).collect(Collectors.joining(",\n  "));
        // GREATEST ignores NULLs: a time stays NULL only while neither side sent the field
        String times = IntStream.rangeClosed(1, merged.size())
                .mapToObj(n -> "GREATEST(t.field_times[" + n + "], EXCLUDED.field_times[" + n + "])")
                .collect(Collectors.joining(", "));
        String conflict = keys.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " AS t (" + insertColumns + ", field_times)\n"
                + "SELECT " + insertColumns + ", field_times FROM jsonb_to_recordset($1::text::jsonb) AS x(" + recordType + ")\n"
                + "ON CONFLICT (" + conflict + ") DO UPDATE SET\n  " + sets + ",\n  field_times = ARRAY[" + times + "]::bigint[],\n"
                + "  updated_at = now()"
                + (returning == null ? "" : "\nRETURNING " + returning);
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }
}
