package io.flywheel.retrain.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aLinearModelNamesItsOwnFeatures() throws Exception {
        Files.writeString(dir.resolve("model.json"), "{}");
        Files.writeString(dir.resolve("metrics.json"), "{\"format\": \"flywheel-linear-metrics/v1\"}");

        TrainerOutput output = TrainerOutput.read(dir, JSON);

        assertThat(output.format()).isEqualTo("flywheel-linear");
        assertThat(output.file()).isEqualTo("model.json");
        assertThat(output.features()).isEmpty();
        assertThat(output.framework()).isNull();
    }

    @Test
    void anOnnxModelComesWithItsSignatureInColumnOrder() throws Exception {
        Files.write(dir.resolve("model.onnx"), new byte[] {8, 8});
        Files.writeString(dir.resolve("signature.json"), """
                {"inputs": [{"name": "b", "type": "number"}, {"name": "a", "type": "boolean"}], "output": {"name": "y", "type": "number"}}""");
        Files.writeString(dir.resolve("metrics.json"), "{\"framework\": \"scikit-learn\"}");

        TrainerOutput output = TrainerOutput.read(dir, JSON);

        assertThat(output.format()).isEqualTo("onnx");
        assertThat(output.artifact()).containsExactly(8, 8);
        assertThat(output.featureNames()).containsExactly("b", "a");
        assertThat(output.output()).isEqualTo(new TrainerOutput.Feature("y", "number"));
        assertThat(output.framework()).isEqualTo("scikit-learn");
    }

    @Test
    void whatCantBeRegisteredIsRefusedSayingWhatToFix() throws Exception {
        assertThatThrownBy(() -> TrainerOutput.read(dir, JSON))
                .hasMessage("the trainer exited 0 but wrote neither model.json (flywheel-linear) nor model.onnx (onnx) under its output directory");
        Files.write(dir.resolve("model.onnx"), new byte[] {8});
        assertThatThrownBy(() -> TrainerOutput.read(dir, JSON))
                .hasMessage("the trainer wrote model.onnx without signature.json, which must name the features in the order of the model's input columns");
        Files.writeString(dir.resolve("signature.json"), "{\"inputs\": [{\"name\": \"a\", \"type\": \"float\"}]}");
        assertThatThrownBy(() -> TrainerOutput.read(dir, JSON)).hasMessageContaining("inputs[0] must be {\"name\": \"<column>\"");
        Files.writeString(dir.resolve("signature.json"), "{\"inputs\": [{\"name\": \"a\", \"type\": \"number\"}, {\"name\": \"a\", \"type\": \"number\"}]}");
        assertThatThrownBy(() -> TrainerOutput.read(dir, JSON)).hasMessage("the trainer's signature.json names feature 'a' twice");
        Files.writeString(dir.resolve("model.json"), "{}");
        assertThatThrownBy(() -> TrainerOutput.read(dir, JSON)).hasMessage("the trainer wrote both model.json and model.onnx; it must write one model");
    }
}
