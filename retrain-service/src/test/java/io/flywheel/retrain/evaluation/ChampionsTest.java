package io.flywheel.retrain.evaluation;

import io.flywheel.linear.Dataset;
import io.flywheel.linear.Task;
import io.flywheel.linear.Trainer;
import io.flywheel.linear.TrainingParams;
import io.flywheel.retrain.registry.RegistryDtos;
import io.flywheel.retrain.support.BreastCancer;
import io.flywheel.retrain.support.Rows;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChampionsTest {

    private static RegistryDtos.Version version(String format, RegistryDtos.Signature signature) {
        return new RegistryDtos.Version("m", 2, "ready", "x", format, null, null, null, null, signature, null);
    }

    @Test
    void aLinearChampionIsReadWhateverTheFormatWordTheFirstTrainersUsed() {
        byte[] artifact = Trainer.train(Dataset.of(Rows.churn(100, 1)), TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned"),
                Instant.parse("2026-01-01T00:00:00Z"), null).model().toJson().getBytes(StandardCharsets.UTF_8);
        for (String format : new String[] {"flywheel-linear", "json", null}) {
            try (Predictor champion = Champions.load(version(format, null), artifact)) {
                assertThat(champion).isInstanceOf(LinearPredictor.class);
            }
        }
        assertThatThrownBy(() -> Champions.load(version("json", null), "{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("its artifact (x/json) is not a flywheel-linear/v1 model");
    }

    @Test
    void anOnnxChampionTakesItsFeatureOrderFromItsSignature() {
        List<RegistryDtos.Feature> inputs = BreastCancer.features().stream().map(f -> new RegistryDtos.Feature(f, "number")).toList();
        try (Predictor champion = Champions.load(version("onnx", new RegistryDtos.Signature(inputs, null)), BreastCancer.onnx(true))) {
            assertThat(champion).isInstanceOf(OnnxPredictor.class);
            assertThat(((OnnxPredictor) champion).features()).isEqualTo(BreastCancer.features());
        }
        assertThatThrownBy(() -> Champions.load(version("onnx", null), BreastCancer.onnx(true)))
                .hasMessage("its ONNX model has no signature naming its features, so the holdout's columns can't be put in its input's order");
        assertThatThrownBy(() -> Champions.load(version("pmml", null), new byte[1]))
                .hasMessage("its format 'pmml' is not one retrain can evaluate (flywheel-linear, onnx)");
    }
}
