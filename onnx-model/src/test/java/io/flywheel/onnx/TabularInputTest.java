package io.flywheel.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TabularInputTest {

    private static final OnnxGraph THREE_FEATURES =
            OnnxGraph.read(ProtoModels.identity(8, Map.of("", 17L), ElementType.FLOAT, "N", 3L));

    @Test
    void columnsBecomeTheMatrixInSignatureOrder() {
        TabularInput table = TabularInput.of(THREE_FEATURES, List.of("age", "income", "member"));
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("member", new boolean[] {true, false});
        columns.put("age", List.of(41, 35L));
        columns.put("income", new double[] {52000.5, 61000});
        columns.put("ignored", "not a feature");

        Map<String, Tensor> inputs = table.columns(columns);

        assertThat(table.inputName()).isEqualTo("x");
        assertThat(table.datatype()).isEqualTo("FP32");
        assertThat(inputs).containsExactly(Map.entry("x",
                Tensor.fp32(new float[] {41, 52000.5f, 1, 35, 61000, 0}, 2, 3)));
    }

    @Test
    void rowsBecomeTheSameMatrix() {
        TabularInput table = TabularInput.of(THREE_FEATURES, List.of("age", "income", "member"));

        Map<String, Tensor> inputs = table.rows(List.of(
                Map.of("member", true, "age", 41, "income", 52000.5),
                Map.of("income", 61000, "age", 35.0, "member", false)));

        assertThat(inputs.get("x")).isEqualTo(Tensor.fp32(new float[] {41, 52000.5f, 1, 35, 61000, 0}, 2, 3));
        assertThat(table.row(Map.of("age", 1, "income", 2, "member", 3)).get("x").shape()).containsExactly(1, 3);
    }

    @Test
    void anFp64ModelGetsAnFp64MatrixAndItRuns() {
        byte[] bytes = ProtoModels.identity(8, Map.of("", 17L), ElementType.DOUBLE, "N", 2L);
        TabularInput table = TabularInput.of(OnnxGraph.read(bytes), List.of("b", "a"));
        try (OnnxModel model = OnnxModel.load(bytes)) {
            Map<String, Tensor> out = model.run(table.columns(Map.of("a", new long[] {1, 2}, "b", new int[] {3, 4})));

            assertThat(out.get("y")).isEqualTo(Tensor.fp64(new double[] {3, 1, 4, 2}, 2, 2));
        }
    }

    @Test
    void refusesModelsThatTakeNoSingleMatrix() {
        OnnxGraph typed = OnnxGraph.read(OnnxModelTest.typedIdentities());
        OnnxGraph longs = OnnxGraph.read(ProtoModels.identity(8, Map.of("", 17L), ElementType.INT64, "N", 2L));

        assertThat(TabularInput.fits(THREE_FEATURES)).isTrue();
        assertThat(TabularInput.fits(typed)).isFalse();
        assertThat(TabularInput.fits(longs)).isFalse();
        assertThatThrownBy(() -> TabularInput.of(longs, List.of("a", "b")))
                .hasMessage("the model does not take a single FP32 or FP64 matrix; its inputs are ['x' (tensor(int64)[N,2])]");
        assertThatThrownBy(() -> TabularInput.of(THREE_FEATURES, List.of("a", "b")))
                .hasMessage("input 'x' (tensor(float)[N,3]) takes 3 features per row, 2 were named");
        assertThatThrownBy(() -> TabularInput.of(THREE_FEATURES, List.of("a", "b", "a")))
                .hasMessage("feature names repeat: [a, b, a]");
    }

    @Test
    void namesTheFeatureThatIsWrong() {
        TabularInput table = TabularInput.of(THREE_FEATURES, List.of("a", "b", "c"));

        assertThatThrownBy(() -> table.columns(Map.of("a", new double[] {1}, "b", new double[] {2})))
                .hasMessage("feature 'c' is missing");
        assertThatThrownBy(() -> table.columns(Map.of("a", new double[] {1}, "b", new double[] {2, 3},
                "c", new double[] {4})))
                .hasMessage("feature 'b' has 2 values, feature 'a' has 1");
        assertThatThrownBy(() -> table.columns(Map.of("a", new double[] {1}, "b", new double[] {2},
                "c", List.of("x"))))
                .hasMessage("row 0: feature 'c' must be a number or a boolean, got a String (x)");
        assertThatThrownBy(() -> table.rows(List.of(Map.of("a", 1, "b", 2))))
                .hasMessage("row 0: feature 'c' is missing");
        assertThatThrownBy(() -> table.columns(Map.of("a", new double[] {1}, "b", new double[] {2},
                "c", "text")))
                .hasMessageStartingWith("feature 'c' must be a column of numbers");
    }
}
