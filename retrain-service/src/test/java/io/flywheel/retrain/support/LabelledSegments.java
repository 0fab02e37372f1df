package io.flywheel.retrain.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.retrain.data.LabelledData;
import io.flywheel.retrain.storage.ObjectStore;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Writes labelled segments into S3 in the monitor's format: labelled/<model>/<yyyy-MM-dd>/<segment>.jsonl. */
public final class LabelledSegments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LabelledSegments() {
    }

    /** The rows as one segment of the day of {@code labelledAt}, each labelled at that instant; returns the key. */
    public static String write(ObjectStore store, String model, List<Map<String, Object>> rows, Instant labelledAt) {
        String key = key(model, labelledAt);
        store.put(key, body(model, rows, labelledAt), "application/x-ndjson").await().atMost(Duration.ofSeconds(30));
        return key;
    }

    /** The same through a MinIO client of the test's own, for a test that runs the service as a separate process. */
    public static String write(MinioClient s3, String bucket, String model, List<Map<String, Object>> rows, Instant labelledAt) {
        String key = key(model, labelledAt);
        byte[] body = body(model, rows, labelledAt);
        try {
            s3.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(new ByteArrayInputStream(body), (long) body.length, -1L)
                    .contentType("application/x-ndjson").build());
        } catch (Exception e) {
            throw new IllegalStateException("could not write " + key + ": " + e.getMessage(), e);
        }
        return key;
    }

    private static String key(String model, Instant labelledAt) {
        return LabelledData.prefix(model) + LabelledData.DAY.format(labelledAt) + "/" + UUID.randomUUID().toString().replace("-", "")
                + ".jsonl";
    }

    private static byte[] body(String model, List<Map<String, Object>> rows, Instant labelledAt) {
        StringBuilder body = new StringBuilder();
        int i = 0;
        for (Map<String, Object> row : rows) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("request_id", model + "-" + UUID.randomUUID());
            line.put("model", model);
            line.put("version", 1);
            line.put("time", labelledAt.minus(Duration.ofMinutes(5)).plusMillis(i++).toString());
            line.put("labelled_at", labelledAt.toString());
            line.put("features", Rows.features(row));
            line.put("prediction", 0.5);
            line.put("label", row.get("churned"));
            try {
                body.append(JSON.writeValueAsString(line)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
