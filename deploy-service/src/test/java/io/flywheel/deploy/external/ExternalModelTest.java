package io.flywheel.deploy.external;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapping between deploy's rows and the endpoint's tensors, without a server. */
class ExternalModelTest {

    private static final List<ExternalModel.Feature> NUMBERS = List.of(new ExternalModel.Feature("age", "integer"),
            new ExternalModel.Feature("income", "number"));

    private static V2.ModelMetadata metadata(V2.TensorSpec... inputs) {
        return new V2.ModelMetadata("m", List.of("1"), "x", List.of(inputs), List.of());
    }

    private static Map<String, Object> row(Object age, Object income) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("age", age);
        row.put("income", income);
        return row;
    }

    private static V2.Tensor tensor(String name, String datatype, List<Long> shape, List<Object> data, Map<String, Object> parameters) {
        return new V2.Tensor(name, datatype, shape, data, parameters);
    }

    private static V2.InferResponse response(V2.Tensor... outputs) {
        return new V2.InferResponse("m", "1", "id", null, List.of(outputs));
    }

    @Test
    void oneMatrixInputGetsTheFeaturesAsColumnsInSignatureOrder() {
        ExternalModel model = ExternalModel.of(null, NUMBERS, metadata(new V2.TensorSpec("X", "FP32", List.of(-1L, 2L))));
        V2.InferRequest request = model.request("r", List.of(row(41.0, 52000.5), row(35, 61000)));
        assertThat(request.id()).isEqualTo("r");
        assertThat(request.inputs()).hasSize(1);
        V2.Tensor x = request.inputs().getFirst();
        assertThat(x.name()).isEqualTo("X");
        assertThat(x.datatype()).isEqualTo("FP32");
        assertThat(x.shape()).containsExactly(2L, 2L);
        assertThat(x.data()).containsExactly(41.0, 52000.5, 35.0, 61000.0);
    }

    @Test
    void anIntegerMatrixGetsWholeNumbersWrittenAsIntegers() throws IOException {
        ExternalModel model = ExternalModel.of(null, NUMBERS, metadata(new V2.TensorSpec("X", "INT64", List.of(-1L, 2L))));
        V2.InferRequest request = model.request("r", List.of(row(41.0, 52000.0)));
        assertThat(V2.JSON.writeValueAsString(request))
                .isEqualTo("{\"id\":\"r\",\"inputs\":[{\"name\":\"X\",\"datatype\":\"INT64\",\"shape\":[1,2],\"data\":[41,52000]}]}");
    }

    @Test
    void perFeatureInputsFollowTheEndpointsShapeAndDatatype() {
        List<ExternalModel.Feature> features = List.of(new ExternalModel.Feature("age", "integer"),
                new ExternalModel.Feature("plan", "string"), new ExternalModel.Feature("member", "boolean"));
        ExternalModel model = ExternalModel.of(null, features, metadata(new V2.TensorSpec("plan", "BYTES", List.of(-1L)),
                new V2.TensorSpec("member", null, null), new V2.TensorSpec("age", "INT32", List.of(-1L, 1L))));
        Map<String, Object> row = Map.of("age", 41.0, "plan", "plus", "member", true);
        V2.InferRequest request = model.request("r", List.of(row, row));
        assertThat(request.inputs()).extracting(V2.Tensor::name).containsExactly("age", "plan", "member");
        assertThat(request.inputs()).extracting(V2.Tensor::datatype).containsExactly("INT32", "BYTES", "BOOL");
        assertThat(request.inputs().get(0).shape()).containsExactly(2L, 1L);
        assertThat(request.inputs().get(1).shape()).containsExactly(2L);
        assertThat(request.inputs().get(0).data()).containsExactly(41L, 41L);
        assertThat(request.inputs().get(1).data()).containsExactly("plus", "plus");
        assertThat(request.inputs().get(2).data()).containsExactly(true, true);
    }

    @Test
    void inputsThatDoNotFitTheSignatureAreNotServableAndSayWhy() {
        assertThatThrownBy(() -> ExternalModel.of(null, NUMBERS, metadata(new V2.TensorSpec("X", "FP32", List.of(-1L, 3L)))))
                .isInstanceOf(ExternalModel.NotServableException.class).hasMessageContaining("neither the signature's 2 features");
        assertThatThrownBy(() -> ExternalModel.of(null, NUMBERS, metadata(new V2.TensorSpec("X", "BYTES", List.of(-1L, 2L)))))
                .hasMessageContaining("deploy fills a matrix only with numbers");
        assertThatThrownBy(() -> ExternalModel.of(null, List.of(new ExternalModel.Feature("age", "integer"),
                new ExternalModel.Feature("plan", "string")), metadata(new V2.TensorSpec("X", "FP32", List.of(-1L, 2L)))))
                .hasMessageContaining("every feature must be a number; 'plan' is string");
        assertThatThrownBy(() -> ExternalModel.of(null, NUMBERS, metadata(new V2.TensorSpec("age", "INT64", List.of(-1L)),
                new V2.TensorSpec("salary", "FP64", List.of(-1L))))).hasMessageContaining("no input 'income'").hasMessageContaining("[age, salary]");
        assertThatThrownBy(() -> ExternalModel.of(null, NUMBERS, metadata(new V2.TensorSpec("age", "INT64", List.of(-1L)),
                new V2.TensorSpec("income", "FP64", List.of(-1L, 4L))))).hasMessageContaining("a feature is [-1] or [-1, 1]");
        assertThatThrownBy(() -> ExternalModel.of(null, List.of(), metadata(new V2.TensorSpec("age", "STRUCT", List.of(-1L)))))
                .hasMessageContaining("has no signature").hasMessageContaining("register a signature");
    }

    @Test
    void withoutASignatureTheFeaturesAreReadFromTheEndpointAsForOnnx() {
        ExternalModel matrix = ExternalModel.of(null, null, metadata(new V2.TensorSpec("float_input", "FP32", List.of(-1L, 3L))));
        assertThat(matrix.features()).extracting(ExternalModel.Feature::name).containsExactly("float_input_0", "float_input_1", "float_input_2");
        assertThat(matrix.request("r", List.of(Map.of("float_input_0", 1, "float_input_1", 2, "float_input_2", 3))).inputs().getFirst().data())
                .containsExactly(1.0, 2.0, 3.0);
        ExternalModel typed = ExternalModel.of(null, List.of(), metadata(new V2.TensorSpec("amount", "FP64", List.of(-1L, 1L)),
                new V2.TensorSpec("count", "INT64", List.of(-1L)), new V2.TensorSpec("flag", "BOOL", List.of(-1L)),
                new V2.TensorSpec("country", "BYTES", List.of(-1L))));
        assertThat(typed.features()).containsExactly(new ExternalModel.Feature("amount", "number"), new ExternalModel.Feature("count", "integer"),
                new ExternalModel.Feature("flag", "boolean"), new ExternalModel.Feature("country", "string"));
    }

    @Test
    void aClassifierLogsTheProbabilityOfTheColumnLabelledOneOrTrue() {
        V2.InferResponse r = response(tensor("label", "BYTES", List.of(2L), List.of("yes", "no"), null),
                tensor("probabilities", "FP32", List.of(2L, 2L), List.of(0.2, 0.8, 0.9, 0.1), Map.of("labels", List.of("1", "0"))));
        assertThat(ExternalModel.logged(r, 2)).containsExactly(Map.of("probability", 0.2, "label", "yes"),
                Map.of("probability", 0.9, "label", "no"));
        V2.InferResponse bools = response(tensor("label", "BOOL", List.of(1L), List.of(true), null),
                tensor("p", "FP64", List.of(1L, 2L), List.of(0.3, 0.7), Map.of("labels", List.of("true", "false"))));
        assertThat(ExternalModel.logged(bools, 1)).containsExactly(Map.of("probability", 0.3, "label", true));
    }

    @Test
    void withoutLabelsThePositiveClassIsTheLastColumn() {
        V2.InferResponse r = response(tensor("p", "FP32", List.of(1L, 3L), List.of(0.2, 0.3, 0.5), null),
                tensor("label", "INT64", List.of(1L), List.of(2), null));
        assertThat(ExternalModel.logged(r, 1)).containsExactly(Map.of("probability", 0.5, "label", 2));
    }

    @Test
    void aRegressionLogsItsValueWhetherShapedNOrNByOne() {
        assertThat(ExternalModel.logged(response(tensor("y", "FP64", List.of(2L, 1L), List.of(1.5, -2), null)), 2)).containsExactly(1.5, -2.0);
        assertThat(ExternalModel.logged(response(tensor("y", "INT64", List.of(1L), List.of(7), null)), 1)).containsExactly(7.0);
    }

    @Test
    void anythingElseLogsTheRowsValuesByOutputName() {
        V2.InferResponse r = response(tensor("embedding", "FP32", List.of(2L, 2L), List.of(1, 2, 3, 4), null),
                tensor("a", "FP32", List.of(2L), List.of(5, 6), null), tensor("b", "FP32", List.of(2L), List.of(7, 8), null));
        assertThat(ExternalModel.logged(r, 2)).containsExactly(Map.of("embedding", List.of(1, 2), "a", 5, "b", 7),
                Map.of("embedding", List.of(3, 4), "a", 6, "b", 8));
    }

    @Test
    void anOutputWhoseSizeDoesNotFitTheRowsIsABadGateway() {
        V2.InferResponse r = response(tensor("y", "FP64", List.of(3L), List.of(1, 2, 3), null));
        assertThatThrownBy(() -> ExternalModel.logged(r, 2)).isInstanceOf(ExternalCallException.class)
                .extracting(e -> ((ExternalCallException) e).kind()).isEqualTo(ExternalCallException.Kind.BAD_GATEWAY);
    }

    @Test
    void theWireFormatIsTheProtocolsSnakeCase() throws IOException {
        V2.InferResponse r = V2.JSON.readValue("""
                {"model_name": "churn", "model_version": "4", "id": "q", "extra": 1,
                 "outputs": [{"name": "y", "datatype": "FP64", "shape": [1], "data": [0.5]}]}""", V2.InferResponse.class);
        assertThat(r.modelName()).isEqualTo("churn");
        assertThat(r.modelVersion()).isEqualTo("4");
        assertThat(r.outputs().getFirst().data()).containsExactly(0.5);
    }
}
