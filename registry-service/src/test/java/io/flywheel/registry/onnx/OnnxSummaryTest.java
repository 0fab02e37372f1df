package io.flywheel.registry.onnx;

import io.flywheel.onnx.OnnxGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OnnxSummaryTest {

    @Test
    void aZipMapOutputIsTheMatrixOfItsClassesWithTheirLabels() {
        OnnxSummary summary = OnnxSummary.of(OnnxGraph.read(OnnxFiles.resource("breast_cancer_logreg.onnx")));

        assertThat(summary.irVersion()).isEqualTo(8);
        assertThat(summary.producer()).isEqualTo("flywheel onnx-model/scripts/make_models.py");
        assertThat(summary.opsets()).containsExactly(Map.entry("ai.onnx", 17L), Map.entry("ai.onnx.ml", 1L));
        assertThat(summary.inputs()).containsExactly(new OnnxSummary.Value("float_input", "FP32", List.of(-1L, 30L), null));
        assertThat(summary.outputs()).containsExactly(
                new OnnxSummary.Value("output_label", "INT64", List.of(-1L), null),
                new OnnxSummary.Value("output_probability", "FP32", List.of(-1L, 2L), List.of("0", "1")));
    }

    @Test
    void symbolicAxesAreMinusOne() {
        OnnxSummary summary = OnnxSummary.of(OnnxGraph.read(OnnxFiles.resource("credit_torch_mlp.onnx")));

        assertThat(summary.producer()).isEqualTo("pytorch");
        assertThat(summary.inputs()).containsExactly(new OnnxSummary.Value("input", "FP32", List.of(-1L, 20L), null));
        assertThat(summary.outputs()).containsExactly(new OnnxSummary.Value("probability", "FP32", List.of(-1L, 1L), null));
    }
}
