package io.flywheel.deploy.predictionlog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.flywheel.events.PredictionLogged;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written JSON is exactly the PredictionLogged contract, as the services' ObjectMapper writes and reads it. */
class PredictionEncoderTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final PredictionEncoder encoder = new PredictionEncoder(json.getFactory());

    @Test
    void writesWhatTheRecordWouldAndReadsBackIntoIt() throws Exception {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("age", 41);
        inputs.put("income", 52000.5);
        inputs.put("member", true);
        inputs.put("plan", "plus");
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("probability", 0.73);
        output.put("label", "yes");
        long now = Instant.parse("2026-11-26T10:00:00.123Z").toEpochMilli();
        LoggedPrediction p = new LoggedPrediction("req-1", "churn", 3, "production", inputs, output, 0.042, now);

        byte[] encoded = encoder.encode(p);
        PredictionLogged expected = PredictionLogged.of("req-1", "churn", 3, "production", inputs, output, 0.042,
                Instant.ofEpochMilli(now));
        assertThat(json.readValue(encoded, PredictionLogged.class)).isEqualTo(expected);
        assertThat(json.readTree(encoded)).isEqualTo(json.readTree(json.writeValueAsBytes(expected)));
    }

    @Test
    void aRegressionOutputIsANumber() throws Exception {
        LoggedPrediction p = new LoggedPrediction("r", "price", 1, "staging", Map.of("x", 1.5), 12.25, 0.0, 0L);
        assertThat(json.readTree(encoder.encode(p)).get("output").asDouble()).isEqualTo(12.25);
    }

    @Test
    void theContractIsStillChecked() {
        assertThatThrownBy(() -> encoder.encode(new LoggedPrediction("x".repeat(129), "m", 1, "p", Map.of(), 1.0, 0.0, 0L)))
                .hasMessageContaining("request_id");
        assertThatThrownBy(() -> encoder.encode(new LoggedPrediction("r", "bad name!", 1, "p", Map.of(), 1.0, 0.0, 0L)))
                .hasMessageContaining("model");
        assertThatThrownBy(() -> encoder.encode(new LoggedPrediction("r", "m", 0, "p", Map.of(), 1.0, 0.0, 0L)))
                .hasMessageContaining("version");
    }

    @Test
    void predictionsOneAfterAnotherAreEachOneDocument() throws Exception {
        // one generator writes them all: no separator, no leftover of the one before
        long t0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("x" + (i % 7), i * 0.5);
            inputs.put("plan", i % 2 == 0 ? "basic" : "pro");
            long now = t0 + i / 3;
            LoggedPrediction p = new LoggedPrediction("req-" + i, "churn", 1 + i % 4, "production", inputs,
                    Map.of("probability", 0.25, "label", i % 2 == 0), 0.5, now);
            byte[] encoded = encoder.encode(p);
            PredictionLogged expected = PredictionLogged.of("req-" + i, "churn", 1 + i % 4, "production", inputs,
                    Map.of("probability", 0.25, "label", i % 2 == 0), 0.5, Instant.ofEpochMilli(now));
            assertThat(encoded[0]).as("prediction %d starts its own document", i).isEqualTo((byte) '{');
            assertThat(json.readTree(encoded)).isEqualTo(json.readTree(json.writeValueAsBytes(expected)));
        }
    }

    @Test
    void aPredictionThatFailsHalfWayLeavesTheNextOneWhole() throws Exception {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("x", 1.0);
        bad.put("y", new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no text");
            }
        });
        assertThatThrownBy(() -> encoder.encode(new LoggedPrediction("r1", "m", 1, "p", bad, 1.0, 0.0, 0L)))
                .isInstanceOf(IllegalStateException.class);
        byte[] next = encoder.encode(new LoggedPrediction("r2", "m", 1, "p", Map.of("x", 2.0), 1.0, 0.0, 0L));
        assertThat(json.readTree(next).get("request_id").asText()).isEqualTo("r2");
        assertThat(json.readTree(next).get("inputs").get("x").asDouble()).isEqualTo(2.0);
    }
}
