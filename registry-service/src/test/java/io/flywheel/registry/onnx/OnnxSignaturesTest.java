package io.flywheel.registry.onnx;

import io.flywheel.onnx.OnnxGraph;
import io.flywheel.registry.Feature;
import io.flywheel.registry.ModelRejectedException;
import io.flywheel.registry.Signature;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract's signature rules on the framework-made models (onnx-model's test set). */
class OnnxSignaturesTest {

    private static final OnnxGraph LOGREG = OnnxGraph.read(OnnxFiles.resource("breast_cancer_logreg.onnx"));
    private static final OnnxGraph TORCH = OnnxGraph.read(OnnxFiles.resource("credit_torch_mlp.onnx"));
    private static final OnnxGraph TYPED = OnnxGraph.read(OnnxFiles.resource("typed_inputs.onnx"));

    private static List<Feature> numbered(int k) {
        return IntStream.range(0, k).mapToObj(i -> new Feature("f" + i, "number")).toList();
    }

    @Test
    void aMatrixModelWithoutSignatureGetsNumberedFeaturesAndItsFirstOutput() {
        Signature filled = OnnxSignatures.fit(LOGREG, null);

        assertThat(filled.inputs()).hasSize(30);
        assertThat(filled.inputs().getFirst()).isEqualTo(new Feature("float_input_0", "number"));
        assertThat(filled.inputs().getLast()).isEqualTo(new Feature("float_input_29", "number"));
        assertThat(filled.output()).isEqualTo(new Feature("output_label", "integer"));

        Signature torch = OnnxSignatures.fit(TORCH, null);
        assertThat(torch.inputs()).extracting(Feature::name).startsWith("input_0", "input_1").endsWith("input_19");
        assertThat(torch.output()).isEqualTo(new Feature("probability", "number"));
    }

    @Test
    void aMatrixModelKeepsASignatureThatNamesItsColumns() {
        Signature declared = new Signature(numbered(30), new Feature("output_label", "number"));

        assertThat(OnnxSignatures.fit(LOGREG, declared)).isEqualTo(declared);
    }

    @Test
    void aMatrixModelRefusesTheWrongNumberOfFeatures() {
        Signature declared = new Signature(numbered(29), new Feature("output_label", "integer"));

        assertThatThrownBy(() -> OnnxSignatures.fit(LOGREG, declared))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("takes 30 features per row, the signature names 29");
    }

    @Test
    void aMatrixModelRefusesStringFeatures() {
        List<Feature> features = new ArrayList<>(numbered(20));
        features.set(3, new Feature("purpose", "string"));

        assertThatThrownBy(() -> OnnxSignatures.fit(TORCH, new Signature(features, new Feature("probability", "number"))))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("feature 'purpose' is a string");
    }

    @Test
    void theOutputMustBeTheGraphsFirst() {
        Signature declared = new Signature(numbered(30), new Feature("output_probability", "number"));

        assertThatThrownBy(() -> OnnxSignatures.fit(LOGREG, declared))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("signature.output is 'output_probability', but the graph's first output")
                .hasMessageContaining("'output_label'");
        // a floating-point output is no integer
        assertThatThrownBy(() -> OnnxSignatures.fit(TORCH, new Signature(numbered(20), new Feature("probability", "integer"))))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("typed integer");
    }

    @Test
    void aTensorPerFeatureModelGetsItsInputsTypedFromTheGraph() {
        Signature filled = OnnxSignatures.fit(TYPED, null);

        assertThat(filled.inputs()).containsExactly(new Feature("amount", "number"), new Feature("count", "integer"),
                new Feature("flag", "boolean"), new Feature("country", "string"));
        assertThat(filled.output()).isEqualTo(new Feature("score", "number"));
    }

    @Test
    void aTensorPerFeatureModelChecksNamesAndTypes() {
        Feature score = new Feature("score", "number");
        List<Feature> reordered = List.of(new Feature("country", "string"), new Feature("amount", "integer"),
                new Feature("flag", "boolean"), new Feature("count", "integer"));
        assertThat(OnnxSignatures.fit(TYPED, new Signature(reordered, score)).inputs()).isEqualTo(reordered);

        assertThatThrownBy(() -> OnnxSignatures.fit(TYPED, new Signature(List.of(new Feature("amount", "number"),
                new Feature("count", "integer"), new Feature("flag", "boolean")), score)))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("the graph's inputs [country] are not features of the signature");
        assertThatThrownBy(() -> OnnxSignatures.fit(TYPED, new Signature(List.of(new Feature("amount", "number"),
                new Feature("count", "number"), new Feature("flag", "boolean"), new Feature("country", "string")), score)))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("feature 'count' is typed number")
                .hasMessageContaining("tensor(int64)");
        assertThatThrownBy(() -> OnnxSignatures.fit(TYPED, new Signature(List.of(new Feature("amount", "number"),
                new Feature("count", "integer"), new Feature("flag", "boolean"), new Feature("country", "string"),
                new Feature("age", "number")), score)))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("feature 'age' is no input of the graph");
    }

    @Test
    void aHandWrittenMatrixModel() {
        // OnnxFiles.identity: x is float [N, 3]
        OnnxGraph identity = OnnxGraph.read(OnnxFiles.identity(8, java.util.Map.of("", 17L)));
        assertThat(OnnxSignatures.fit(identity, null)).isEqualTo(new Signature(
                List.of(new Feature("x_0", "number"), new Feature("x_1", "number"), new Feature("x_2", "number")),
                new Feature("y", "number")));
    }
}
