package io.flywheel.retrain.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.linear.Dataset;
import io.flywheel.linear.DatasetReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingSetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FROM = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-26T00:00:00Z");

    private static TrainingSet.LabelledRow row(String line) throws Exception {
        return TrainingSet.parse(JSON.readTree(line));
    }

    private static String line(String id, String labelledAt, String features, String label) {
        return """
                {"request_id":"%s","model":"churn","version":3,"time":"2026-11-21T09:00:00Z","labelled_at":"%s",
                 "features":%s,"prediction":0.7,"label":%s}""".formatted(id, labelledAt, features, label);
    }

    @Test
    void readsTheMonitorsLines() throws Exception {
        var r = row(line("r1", "2026-11-21T10:00:00Z", "{\"age\":41,\"plan\":\"pro\",\"score\":0.5,\"member\":true}", "\"yes\""));
        assertThat(r.requestId()).isEqualTo("r1");
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.labelledAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(r.features()).containsEntry("age", 41L).containsEntry("plan", "pro").containsEntry("score", 0.5).containsEntry("member", true);
        assertThat(r.label()).isEqualTo("yes");
        assertThat(TrainingSet.parse(JSON.readTree("{\"request_id\":\"x\"}"))).isNull();
        assertThat(TrainingSet.parse(JSON.readTree("[1,2]"))).isNull();
    }

    @Test
    void keepsTheRangeDropsRepeatsAndUnusableRowsAndOrdersByLabelTime() throws Exception {
        List<TrainingSet.LabelledRow> rows = List.of(
                row(line("late", "2026-11-25T10:00:00Z", "{\"age\":30}", "\"no\"")),
                row(line("early", "2026-11-21T10:00:00Z", "{\"age\":41}", "\"yes\"")),
                row(line("early", "2026-11-21T10:00:00Z", "{\"age\":41}", "\"yes\"")),
                row(line("before", "2026-11-19T23:59:59Z", "{\"age\":50}", "\"yes\"")),
                row(line("at-end", "2026-11-26T00:00:00Z", "{\"age\":50}", "\"yes\"")),
                row(line("no-label", "2026-11-22T10:00:00Z", "{\"age\":50}", "null")),
                row(line("nested", "2026-11-22T10:00:00Z", "{\"age\":{\"years\":50}}", "\"no\"")));

        TrainingSet.Assembly assembly = TrainingSet.assemble(List.of(), rows, "churned", FROM, TO);

        assertThat(assembly.rows()).extracting(r -> r.get("age")).containsExactly(41L, 30L);
        assertThat(assembly.columns()).containsExactly("age", "churned");
        assertThat(assembly.duplicates()).isEqualTo(1);
        assertThat(assembly.skipped()).isEqualTo(2);
        assertThat(TrainingSet.countNew(rows, Instant.parse("2026-11-21T10:00:00Z"), TO)).isEqualTo(4);
    }

    @Test
    void baseRowsComeFirstAndTheResultIsADatasetTheTrainerReads() throws Exception {
        List<Map<String, ?>> base = List.of(Map.of("age", 20L, "plan", "basic", "churned", "no"));
        List<TrainingSet.LabelledRow> rows = List.of(row(line("r1", "2026-11-21T10:00:00Z", "{\"age\":41,\"plan\":\"pro\"}", "\"yes\"")));

        TrainingSet.Assembly assembly = TrainingSet.assemble(base, rows, "churned", FROM, TO);
        String text = write(assembly);

        assertThat(text).isEqualTo("""
                {"age":20,"plan":"basic","churned":"no"}
                {"age":41,"plan":"pro","churned":"yes"}
                """);
        Dataset dataset = DatasetReader.parseJsonLines(text, "training-set.jsonl");
        assertThat(dataset.size()).isEqualTo(2);
        assertThat(dataset.columns()).containsExactly("age", "plan", "churned");
    }

    @Test
    void theSameRowsInAnyOrderGiveTheSameBytes() throws Exception {
        List<TrainingSet.LabelledRow> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(row(line("r" + i, "2026-11-2" + (i % 5 + 1) + "T10:00:00Z", "{\"b\":" + i + ",\"a\":" + (i * 0.5) + "}",
                    i % 2 == 0 ? "true" : "false")));
        }
        String first = write(TrainingSet.assemble(List.of(), rows, "label", FROM, TO));
        Collections.shuffle(rows, new java.util.Random(7));
        String second = write(TrainingSet.assemble(List.of(), rows, "label", FROM, TO));
        assertThat(second).isEqualTo(first);
        assertThat(first.lines().findFirst().orElseThrow()).startsWith("{\"a\":");
    }

    @Test
    void aFeatureMissingInSomeRowsIsWrittenAsNull() throws Exception {
        var assembly = TrainingSet.assemble(List.of(), List.of(
                row(line("r1", "2026-11-21T10:00:00Z", "{\"age\":41,\"plan\":\"pro\"}", "1")),
                row(line("r2", "2026-11-21T11:00:00Z", "{\"age\":42}", "0"))), "y", FROM, TO);
        assertThat(write(assembly)).contains("{\"age\":42,\"plan\":null,\"y\":0}");
        assertThat(TrainingSet.incompleteColumns(assembly)).containsExactly("plan");
    }

    private static String write(TrainingSet.Assembly assembly) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TrainingSet.write(assembly, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
