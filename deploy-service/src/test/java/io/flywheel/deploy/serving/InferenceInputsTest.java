package io.flywheel.deploy.serving;

import io.flywheel.deploy.InvalidInferenceInputException;
import io.flywheel.deploy.registry.RegistryVersion;
import io.flywheel.deploy.support.Artifacts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Inputs checked against the signature, each refusal naming its field. */
class InferenceInputsTest {

    private static final RegistryVersion.Signature SIGNATURE = new RegistryVersion.Signature(List.of(
            new RegistryVersion.Field("age", "integer"), new RegistryVersion.Field("income", "number"),
            new RegistryVersion.Field("member", "boolean"), new RegistryVersion.Field("plan", "string")),
            new RegistryVersion.Field("churned", "number"));

    private final ServedModel model = ServedModel.load(new RegistryVersion("churn", 3, "ready", "flywheel-linear", "json", SIGNATURE,
            Map.of(), Map.of(), null), Artifacts.churn(0.1).getBytes(StandardCharsets.UTF_8));

    private static InferRequest.Input input(String name, String datatype, List<Long> shape, Object... data) {
        return new InferRequest.Input(name, shape, datatype, null, new ArrayList<>(List.of(data)));
    }

    private static List<InferRequest.Input> valid() {
        return new ArrayList<>(List.of(input("age", "INT64", List.of(1L), 41), input("income", "FP64", List.of(1L), 52000.5),
                input("member", "BOOL", List.of(1L), true), input("plan", "BYTES", List.of(1L), "plus")));
    }

    @Test
    void validInputsBecomeRowsByFeatureName() {
        List<Map<String, Object>> rows = InferenceInputs.rows(model.signature(), valid());
        assertThat(rows).containsExactly(Map.of("age", 41, "income", 52000.5, "member", true, "plan", "plus"));
        assertThat(((LinearScorer) model.scorer()).linear().predict(rows.getFirst()).score()).isBetween(0.0, 1.0);
    }

    @Test
    void aBatchIsOneRowPerValue() {
        List<InferRequest.Input> batch = List.of(input("age", "INT64", List.of(2L), 41, 30), input("income", "FP64", List.of(2L), 1.0, 2.0),
                input("member", "BOOL", List.of(2L, 1L), List.of(true), List.of(false)), input("plan", "BYTES", null, "pro", "basic"));
        assertThat(InferenceInputs.rows(model.signature(), batch)).hasSize(2).element(1).isEqualTo(Map.of("age", 30, "income", 2.0,
                "member", false, "plan", "basic"));
    }

    @Test
    void everyRefusalNamesItsField() {
        refused(List.of(), "inputs", "inputs is required");
        List<InferRequest.Input> missing = valid();
        missing.removeIf(i -> i.name().equals("income"));
        refused(missing, "income", "input 'income' is missing; model 'churn' version 3 takes age, income, member, plan");

        List<InferRequest.Input> unknown = valid();
        unknown.add(input("zip", "BYTES", null, "12345"));
        refused(unknown, "zip", "input 'zip' is not in the signature of model 'churn' version 3");

        List<InferRequest.Input> wrongType = valid();
        wrongType.set(0, input("age", null, null, "41"));
        refused(wrongType, "age", "input 'age' must be an integer, got a string (\"41\")");

        List<InferRequest.Input> fraction = valid();
        fraction.set(0, input("age", "FP64", null, 41.5));
        refused(fraction, "age", "input 'age' must be an integer, got a number (41.5)");

        List<InferRequest.Input> datatype = valid();
        datatype.set(2, input("member", "FP64", null, 1.0));
        refused(datatype, "member", "input 'member' has datatype FP64, but the signature says boolean: send BOOL");

        List<InferRequest.Input> shape = valid();
        shape.set(1, input("income", "FP64", List.of(2L), 1.0));
        refused(shape, "income", "input 'income' has shape [2] but 1 value(s)");

        List<InferRequest.Input> ragged = valid();
        ragged.set(3, input("plan", "BYTES", null, "pro", "basic"));
        refused(ragged, "plan", "every input needs one value per row");

        List<InferRequest.Input> twice = valid();
        twice.add(input("age", "INT64", null, 3));
        refused(twice, "age", "input 'age' is given twice");

        List<InferRequest.Input> empty = valid();
        empty.set(1, input("income", "FP64", null));
        refused(empty, "income", "input 'income' has no data");
    }

    @Test
    void anArtifactFeatureTheSignatureLacksIsNotServable() {
        RegistryVersion.Signature narrow = new RegistryVersion.Signature(List.of(new RegistryVersion.Field("age", "integer")), null);
        assertThatThrownBy(() -> ServedModel.load(new RegistryVersion("churn", 1, "ready", null, null, narrow, Map.of(), Map.of(), null),
                Artifacts.churn(0).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature 'income' is not in the version's signature");
        assertThatThrownBy(() -> ServedModel.load(new RegistryVersion("churn", 1, "ready", null, null, null, Map.of(), Map.of(), null),
                "{\"format\": \"onnx\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a flywheel-linear/v1 model");
    }

    @Test
    void withoutASignatureTheArtifactsFeaturesAreTheInputs() {
        ServedModel bare = ServedModel.load(new RegistryVersion("churn", 1, "ready", null, null, null, Map.of(), Map.of(), null),
                Artifacts.churn(0).getBytes(StandardCharsets.UTF_8));
        assertThat(bare.signature().inputs()).extracting(ServedSignature.InputSpec::name).containsExactly("age", "income", "member", "plan");
        assertThat(bare.signature().outputName()).isEqualTo("churned");
    }

    private void refused(List<InferRequest.Input> inputs, String field, String message) {
        assertThatThrownBy(() -> InferenceInputs.rows(model.signature(), inputs))
                .isInstanceOf(InvalidInferenceInputException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidInferenceInputException) e).field()).isEqualTo(field));
    }
}
