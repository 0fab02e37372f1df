package io.flywheel.retrain.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.retrain.resilience.Retries;
import io.flywheel.retrain.storage.ObjectStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The labelled rows that the monitor appends to S3 (docs/CONTRACTS.md):
 * {@code labelled/<model>/<yyyy-MM-dd>/<segment>.jsonl}, one labelled prediction per line, the day
 * being the label's. Reads the segments of the days a time range touches, with retries.
 */
@ApplicationScoped
public class LabelledData {

    public static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /** The rows read, and how many lines were not labelled rows at all. */
    public record Read(List<TrainingSet.LabelledRow> rows, int malformed, int segments) {
    }

    private final ObjectStore store;
    private final Retries retries;
    private final ObjectMapper json;

    public LabelledData(ObjectStore store, Retries retries, ObjectMapper json) {
        this.store = store;
        this.retries = retries;
        this.json = json;
    }

    /** The key prefix of a model's segments. */
    public static String prefix(String model) {
        return "labelled/" + model + "/";
    }

    /**
     * The rows of every segment of the days from {@code from} to {@code to} (the caller filters by
     * labelled_at); with {@code writtenSince}, only segments written at or after it (a segment holds
     * rows labelled before it was written, so older ones can't hold newer rows).
     */
    public Uni<Read> read(String model, Instant from, Instant to, Instant writtenSince) {
        String prefix = prefix(model);
        return retries.retrying("list labelled segments of " + model,
                        store.list(prefix, prefix + DAY.format(from), prefix + DAY.format(to)))
                .chain(objects -> Multi.createFrom().iterable(objects)
                        .filter(o -> o.key().endsWith(".jsonl"))
                        .filter(o -> writtenSince == null || o.lastModified() == null || !o.lastModified().isBefore(writtenSince.minusSeconds(1)))
                        .onItem().transformToUniAndConcatenate(o -> retries.retrying("read " + o.key(), store.read(o.key())))
                        .collect().asList())
                .map(this::parse);
    }

    private Read parse(List<byte[]> segments) {
        List<TrainingSet.LabelledRow> rows = new ArrayList<>();
        int malformed = 0;
        for (byte[] segment : segments) {
            for (String line : new String(segment, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                TrainingSet.LabelledRow row;
                try {
                    JsonNode node = json.readTree(line);
                    row = TrainingSet.parse(node);
                } catch (Exception e) {
                    row = null;
                }
                if (row == null) {
                    malformed++;
                } else {
                    rows.add(row);
                }
            }
        }
        return new Read(rows, malformed, segments.size());
    }
}
