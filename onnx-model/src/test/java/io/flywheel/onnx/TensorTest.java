package io.flywheel.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void factoriesGiveTheV2Datatypes() {
        assertThat(Tensor.fp32(new float[] {1}, 1).datatype()).isEqualTo("FP32");
        assertThat(Tensor.fp64(new double[] {1}, 1).datatype()).isEqualTo("FP64");
        assertThat(Tensor.int64(new long[] {1}, 1).datatype()).isEqualTo("INT64");
        assertThat(Tensor.int32(new int[] {1}, 1).datatype()).isEqualTo("INT32");
        assertThat(Tensor.bool(new boolean[] {true}, 1).datatype()).isEqualTo("BOOL");
        assertThat(Tensor.bytes(new String[] {"a"}, 1).datatype()).isEqualTo("BYTES");
    }

    @Test
    void matricesFromRows() {
        Tensor tensor = Tensor.fp64(new double[][] {{1, 2, 3}, {4, 5, 6}});

        assertThat(tensor.shape()).containsExactly(2, 3);
        assertThat(tensor.value(1, 2)).isEqualTo(6.0);
        assertThat(tensor.rows()).isEqualTo(2);
        assertThat(Tensor.fp32(new float[][] {{1, 2}}).floats()).containsExactly(1f, 2f);
        assertThatThrownBy(() -> Tensor.fp64(new double[][] {{1, 2}, {3}}))
                .hasMessage("row 1 has 1 values, row 0 has 2");
    }

    @Test
    void valuesReadAsDoubles() {
        assertThat(Tensor.bool(new boolean[] {true, false}, 2).toDoubles()).containsExactly(1.0, 0.0);
        assertThat(Tensor.int64(new long[] {-3}, 1).value(0)).isEqualTo(-3.0);
        assertThat(Tensor.fp32(new float[] {0.5f}).value(0)).isEqualTo(0.5);
        assertThat(Tensor.int32(new int[] {7}, 1).string(0)).isEqualTo("7");
        assertThatThrownBy(() -> Tensor.bytes(new String[] {"a"}, 1).value(0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Tensor.fp32(new float[] {1, 2}, 2).value(0, 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Tensor.fp32(new float[] {1, 2}, 1, 2).value(0, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void theDataMustMatchTheDatatypeAndTheShape() {
        assertThatThrownBy(() -> new Tensor("FP32", new long[] {1}, new double[] {1}, null))
                .hasMessage("FP32 data must be a float[], got a double[]");
        assertThatThrownBy(() -> new Tensor("FP16", new long[] {1}, new float[] {1}, null))
                .hasMessage("datatype FP16 is not one of FP32, FP64, INT64, INT32, BOOL, BYTES");
        assertThatThrownBy(() -> Tensor.fp32(new float[] {1, 2, 3}, 2, 2))
                .hasMessage("shape [2, 2] holds 4 elements, the data has 3");
        assertThatThrownBy(() -> Tensor.fp32(new float[] {1}, -1))
                .hasMessage("shape [-1] has a negative extent");
        assertThatThrownBy(() -> Tensor.fp32(new float[] {1, 2}, 1, 2).withLabels(List.of("a")))
                .hasMessage("1 labels for shape [1, 2]");
        assertThatThrownBy(() -> Tensor.fp32(new float[] {1}, 1).longs())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void equalityIsByContent() {
        long[] shape = {2};
        Tensor tensor = Tensor.fp32(new float[] {1, 2}, shape);
        shape[0] = 5;

        assertThat(tensor).isEqualTo(Tensor.fp32(new float[] {1, 2}, 2));
        assertThat(tensor.hashCode()).isEqualTo(Tensor.fp32(new float[] {1, 2}, 2).hashCode());
        assertThat(tensor).isNotEqualTo(Tensor.fp64(new double[] {1, 2}, 2));
        assertThat(tensor.shape()).containsExactly(2);
        assertThat(tensor.toString()).isEqualTo("Tensor[FP32 [2] 1.0, 2.0]");
    }
}
