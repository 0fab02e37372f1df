package io.flywheel.onnx;

import static io.flywheel.onnx.ProtoModels.graph;
import static io.flywheel.onnx.ProtoModels.intsAttribute;
import static io.flywheel.onnx.ProtoModels.mapType;
import static io.flywheel.onnx.ProtoModels.model;
import static io.flywheel.onnx.ProtoModels.node;
import static io.flywheel.onnx.ProtoModels.sequenceType;
import static io.flywheel.onnx.ProtoModels.stringsAttribute;
import static io.flywheel.onnx.ProtoModels.tensorType;
import static io.flywheel.onnx.ProtoModels.tensorTypeNoShape;
import static io.flywheel.onnx.ProtoModels.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The runtime on models written field by field; FrameworkModelsTest runs the framework-made ones. */
class OnnxModelTest {

    private static final String[] TYPED = {"f", "d", "l", "i", "b", "s"};

    /** One Identity per feedable datatype: f FP32 [N,2], d FP64 [N], l INT64 [N], i INT32 [N], b BOOL [N], s BYTES [N]. */
    static byte[] typedIdentities() {
        ElementType[] types = {ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT64, ElementType.INT32,
                ElementType.BOOL, ElementType.STRING};
        List<byte[]> nodes = new ArrayList<>();
        List<byte[]> inputs = new ArrayList<>();
        List<byte[]> outputs = new ArrayList<>();
        for (int k = 0; k < TYPED.length; k++) {
            Object[] dims = k == 0 ? new Object[] {"N", 2L} : new Object[] {"N"};
            nodes.add(node("Identity", "", List.of(TYPED[k]), List.of(TYPED[k] + "_out")));
            inputs.add(valueInfo(TYPED[k], tensorType(types[k], dims)));
            outputs.add(valueInfo(TYPED[k] + "_out", tensorType(types[k], dims)));
        }
        return model(8, Map.of("", 17L), graph(nodes, List.of(), inputs, outputs));
    }

    static Map<String, Tensor> typedInputs() {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("f", Tensor.fp32(new float[] {1.5f, -2f, 3f, 4.25f}, 2, 2));
        inputs.put("d", Tensor.fp64(new double[] {0.1, 1e300}, 2));
        inputs.put("l", Tensor.int64(new long[] {Long.MAX_VALUE, -7}, 2));
        inputs.put("i", Tensor.int32(new int[] {Integer.MIN_VALUE, 12}, 2));
        inputs.put("b", Tensor.bool(new boolean[] {true, false}, 2));
        inputs.put("s", Tensor.bytes(new String[] {"héllo", ""}, 2));
        return inputs;
    }

    /** ZipMap (ai.onnx.ml) over a [N, 3] score matrix, as skl2onnx ends a classifier. */
    static byte[] zipMap(byte[] labels, ElementType keyType) {
        return model(8, new LinkedHashMap<>(Map.of("", 17L, "ai.onnx.ml", 1L)), graph(
                List.of(node("ZipMap", "ai.onnx.ml", List.of("scores"), List.of("probabilities"), labels)),
                List.of(),
                List.of(valueInfo("scores", tensorType(ElementType.FLOAT, "N", 3L))),
                List.of(valueInfo("probabilities", sequenceType(mapType(keyType, tensorTypeNoShape(ElementType.FLOAT)))))));
    }

    @Test
    void runsEveryFeedableDatatypeThereAndBack() {
        try (OnnxModel model = OnnxModel.load(typedIdentities())) {
            Map<String, Tensor> outputs = model.run(typedInputs());

            assertThat(outputs.keySet()).containsExactly("f_out", "d_out", "l_out", "i_out", "b_out", "s_out");
            typedInputs().forEach((name, input) -> assertThat(outputs.get(name + "_out")).isEqualTo(input));
        }
    }

    @Test
    void convertsDatatypesWhereNothingThatMattersIsLost() {
        try (OnnxModel model = OnnxModel.load(typedIdentities())) {
            Map<String, Tensor> inputs = typedInputs();
            inputs.put("f", Tensor.fp64(new double[] {0.1, 2, 3, 4}, 2, 2));
            inputs.put("d", Tensor.int64(new long[] {1L << 53, -3}, 2));
            inputs.put("l", Tensor.fp64(new double[] {3.0, -1e15}, 2));
            inputs.put("i", Tensor.int64(new long[] {Integer.MAX_VALUE, -5}, 2));

            Map<String, Tensor> outputs = model.run(inputs);

            assertThat(outputs.get("f_out")).isEqualTo(Tensor.fp32(new float[] {0.1f, 2, 3, 4}, 2, 2));
            assertThat(outputs.get("d_out")).isEqualTo(Tensor.fp64(new double[] {1L << 53, -3}, 2));
            assertThat(outputs.get("l_out")).isEqualTo(Tensor.int64(new long[] {3, -1_000_000_000_000_000L}, 2));
            assertThat(outputs.get("i_out")).isEqualTo(Tensor.int32(new int[] {Integer.MAX_VALUE, -5}, 2));

            inputs.put("f", Tensor.int32(new int[] {1, 2, 3, 4}, 2, 2));
            assertThat(model.run(inputs).get("f_out")).isEqualTo(Tensor.fp32(new float[] {1, 2, 3, 4}, 2, 2));
        }
    }

    @Test
    void refusesConversionsThatLoseValues() {
        try (OnnxModel model = OnnxModel.load(typedIdentities())) {
            Map<String, Tensor> fraction = typedInputs();
            fraction.put("l", Tensor.fp64(new double[] {1, 2.5}, 2));
            Map<String, Tensor> bigForFloat = typedInputs();
            bigForFloat.put("f", Tensor.int64(new long[] {1, 2, 3, (1L << 24) + 1}, 2, 2));
            Map<String, Tensor> bigForInt = typedInputs();
            bigForInt.put("i", Tensor.int64(new long[] {1L << 31, 0}, 2));

            assertThatThrownBy(() -> model.run(fraction)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 'l' expects INT64 (tensor(int64)[N]); got FP64 whose element 1 (2.5) is not a whole number");
            assertThatThrownBy(() -> model.run(bigForFloat)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 'f' expects FP32 (tensor(float)[N,2]); got INT64 whose element 3 (16777217)"
                            + " is beyond 2^24, so not exact as FP32");
            assertThatThrownBy(() -> model.run(bigForInt)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 'i' expects INT32 (tensor(int32)[N]); got INT64 whose element 0 (2147483648)"
                            + " is outside INT32's range");
        }
    }

    @Test
    void refusesWrongInputsWithAMessageNamingTheInput() {
        try (OnnxModel model = OnnxModel.load(typedIdentities())) {
            Map<String, Tensor> unknown = typedInputs();
            unknown.put("g", Tensor.fp32(new float[] {1}, 1));
            Map<String, Tensor> missing = typedInputs();
            missing.remove("b");
            Map<String, Tensor> datatype = typedInputs();
            datatype.put("b", Tensor.bytes(new String[] {"true", "false"}, 2));
            Map<String, Tensor> width = typedInputs();
            width.put("f", Tensor.fp32(new float[] {1, 2, 3}, 1, 3));
            Map<String, Tensor> rank = typedInputs();
            rank.put("d", Tensor.fp64(new double[] {1, 2}, 2, 1));
            Map<String, Tensor> floatForString = typedInputs();
            floatForString.put("s", Tensor.fp32(new float[] {1, 2}, 2));

            assertThatThrownBy(() -> model.run(unknown)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("unknown input 'g'; the model's inputs are 'f' (tensor(float)[N,2]), 'd' (");
            assertThatThrownBy(() -> model.run(missing)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("input 'b' (tensor(bool)[N]) is missing; the model's inputs are 'f' (");
            assertThatThrownBy(() -> model.run(datatype)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 'b' expects BOOL (tensor(bool)[N]), got BYTES");
            assertThatThrownBy(() -> model.run(width)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 'f' expects 2 along axis 1 (tensor(float)[N,2]), got shape [1, 3]");
            assertThatThrownBy(() -> model.run(rank)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 'd' expects 1 axes (tensor(double)[N]), got shape [2, 1]");
            assertThatThrownBy(() -> model.run(floatForString)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 's' expects BYTES (tensor(string)[N]), got FP32");
        }
    }

    @Test
    void aFixedBatchSizeIsCheckedToo() {
        try (OnnxModel model = OnnxModel.load(ProtoModels.identity(8, Map.of("", 17L), ElementType.FLOAT, 1L, 2L))) {
            assertThatThrownBy(() -> model.run(Map.of("x", Tensor.fp32(new float[] {1, 2, 3, 4}, 2, 2))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 'x' expects 1 along axis 0 (the model fixes its batch size) (tensor(float)[1,2]),"
                            + " got shape [2, 2]");
        }
    }

    @Test
    void aZipMapOutputComesBackAsAMatrixInTheModelsClassOrder() {
        // the labels are deliberately not sorted: the columns follow the ZipMap's own order
        try (OnnxModel ints = OnnxModel.load(zipMap(intsAttribute("classlabels_int64s", 7, -1, 3), ElementType.INT64));
                OnnxModel strings = OnnxModel.load(zipMap(stringsAttribute("classlabels_strings", "low", "high", "mid"),
                        ElementType.STRING))) {
            Tensor scores = Tensor.fp32(new float[] {0.1f, 0.2f, 0.7f, 0.5f, 0.25f, 0.25f}, 2, 3);

            Tensor byInt = ints.run(Map.of("scores", scores)).get("probabilities");
            Tensor byString = strings.run(Map.of("scores", scores)).get("probabilities");

            assertThat(byInt).isEqualTo(scores.withLabels(List.of("7", "-1", "3")));
            assertThat(byString).isEqualTo(scores.withLabels(List.of("low", "high", "mid")));
            assertThat(byInt.value(1, 0)).isEqualTo(0.5);
            assertThat(ints.classLabels()).containsExactly(Map.entry("probabilities", List.of("7", "-1", "3")));
        }
    }

    /**
     * OnnxSequence.getValue() creates a native OnnxMap per row, which nothing but the caller closes.
     * Left open, 1,000 runs of 200 rows hold about 65 MB more each time (measured with ORT 1.29.0); with
     * them closed, resident memory stops growing once the Java heap has settled (about 2,000 runs here).
     * The smallest growth of three 1,000-run windows must stay far below one window's leak.
     */
    @Test
    void aZipMapOutputLeaksNoNativeMemory() throws IOException {
        float[] data = new float[200 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = i % 7 / 7f;
        }
        Map<String, Tensor> input = Map.of("scores", Tensor.fp32(data, 200, 3));
        try (OnnxModel model = OnnxModel.load(zipMap(intsAttribute("classlabels_int64s", 0, 1, 2), ElementType.INT64))) {
            for (int i = 0; i < 2000; i++) {
                model.run(input);
            }
            long smallestGrowth = Long.MAX_VALUE;
            for (int window = 0; window < 3; window++) {
                long before = residentBytes();
                for (int i = 0; i < 1000; i++) {
                    model.run(input);
                }
                smallestGrowth = Math.min(smallestGrowth, residentBytes() - before);
            }

            assertThat(smallestGrowth).as("resident memory growth over 1,000 runs").isLessThan(16L << 20);
        }
    }

    /** Resident set size from /proc (Linux, as on every machine this project builds on). */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void runAfterCloseIsRefusedAndClosingTwiceIsHarmless() {
        OnnxModel model = OnnxModel.load(ProtoModels.identity(8, Map.of("", 17L), ElementType.FLOAT, "N"));
        Map<String, Tensor> input = Map.of("x", Tensor.fp32(new float[] {1}, 1));
        assertThat(model.run(input).get("y").value(0)).isEqualTo(1.0);

        model.close();
        model.close();

        assertThat(model.isClosed()).isTrue();
        assertThatThrownBy(() -> model.run(input))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the model is closed");
    }

    @Test
    void closeWaitsForRunsUnderWayAndLaterRunsAreRefused() throws Exception {
        OnnxModel model = OnnxModel.load(typedIdentities());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runners = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runners.add(pool.submit(() -> {
                    int runs = 0;
                    while (true) {
                        try {
                            assertThat(model.run(typedInputs()).get("s_out").string(0)).isEqualTo("héllo");
                            runs++;
                        } catch (IllegalStateException closed) {
                            assertThat(closed).hasMessage("the model is closed");
                            return runs;
                        }
                    }
                }));
            }
            Thread.sleep(200);
            model.close();
            for (Future<Integer> runner : runners) {
                assertThat(runner.get()).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void optionsAreChecked() {
        assertThat(OnnxModel.Options.DEFAULTS.intraOpThreads()).isEqualTo(1);
        assertThatThrownBy(() -> new OnnxModel.Options(-1)).isInstanceOf(IllegalArgumentException.class);
        try (OnnxModel model = OnnxModel.load(ProtoModels.identity(8, Map.of("", 17L), ElementType.FLOAT, "N"),
                new OnnxModel.Options(2))) {
            assertThat(model.run(new HashMap<>(Map.of("x", Tensor.fp32(new float[] {3}, 1)))).get("y").value(0))
                    .isEqualTo(3.0);
        }
    }

    @Test
    void bytesThatAreNoModelAreRefusedBeforeTheRuntimeSeesThem() {
        assertThatThrownBy(() -> OnnxModel.load("not a model".getBytes()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("not an ONNX model: ");
    }

    @Test
    void aModelTheRuntimeRefusesIsAnInvalidModel() {
        // well-formed and within the limits, but its node's input does not exist
        byte[] broken = model(8, Map.of("", 17L), graph(
                List.of(node("Relu", "", List.of("nowhere"), List.of("y"))),
                List.of(),
                List.of(valueInfo("x", tensorType(ElementType.FLOAT, 1L))),
                List.of(valueInfo("y", tensorType(ElementType.FLOAT, 1L)))));

        assertThatThrownBy(() -> OnnxModel.load(broken))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("ONNX Runtime 1.29.0 cannot load the model: ");
    }
}
