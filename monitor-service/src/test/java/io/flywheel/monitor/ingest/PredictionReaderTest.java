package io.flywheel.monitor.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.flywheel.events.PredictionLogged;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictionReaderTest {

    private final PredictionReader reader = new PredictionReader(new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));

    private static final String GOOD = """
            {"request_id":"r1","model":"churn","version":2,"environment":"production",
             "inputs":{"age":41,"plan":"pro"},"output":0.83,"latency_ms":1.2,"time":"2026-11-26T10:00:00Z"}""";

    @Test
    void readsAPrediction() {
        PredictionLogged p = reader.read(PredictionLogged.TYPE, GOOD);
        assertThat(p.model()).isEqualTo("churn");
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.inputs()).containsEntry("plan", "pro");
    }

    @Test
    void refusesWhatIsNotAPredictionAndSaysWhy() {
        assertThatThrownBy(() -> reader.read(null, GOOD)).hasMessageContaining("not a CloudEvent");
        assertThatThrownBy(() -> reader.read("io.other.v1", GOOD)).hasMessageContaining("unexpected event type io.other.v1");
        assertThatThrownBy(() -> reader.read(PredictionLogged.TYPE, "{not json")).hasMessageContaining("payload is not a prediction");
        assertThatThrownBy(() -> reader.read(PredictionLogged.TYPE, GOOD.replace("\"r1\"", "\"\""))).hasMessage("invalid prediction: request_id is required (1 to 128 characters)");
        assertThatThrownBy(() -> reader.read(PredictionLogged.TYPE, GOOD.replace("\"churn\"", "\"bad name\""))).hasMessageContaining("model is required and must match");
        assertThatThrownBy(() -> reader.read(PredictionLogged.TYPE, GOOD.replace("\"version\":2", "\"version\":0"))).hasMessage("invalid prediction: version must be 1 or more, was 0");
        assertThatThrownBy(() -> reader.read(PredictionLogged.TYPE, GOOD.replace("\"version\":2", "\"version\":\"two\""))).hasMessageContaining("payload is not a prediction");
    }
}
