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
}
