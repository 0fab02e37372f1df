package io.flywheel.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.onnx.FrameworkModels.Case;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every model in resources/onnx read and run against what its framework said (see FrameworkModels). */
class FrameworkModelsTest {

    static Stream<Case> models() {
        return FrameworkModels.all();
    }

    @Test
    void theModelsAreAllThere() {
        assertThat(models().map(Case::name)).containsExactlyInAnyOrder("bench_mlp20", "bench_trees20",
                "breast_cancer_logreg", "breast_cancer_logreg_nozipmap", "credit_torch_mlp", "credit_xgboost",
                "typed_inputs");
    }

    @ParameterizedTest
    @MethodSource("models")
    void theGraphReadsAsTheFileSays(Case model) throws NoSuchAlgorithmException {
        JsonNode expected = model.expected();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model.bytes())))
                .as("the model file is the one the expected values were made with")
                .isEqualTo(expected.get("file_sha256").asText());

        OnnxGraph graph = OnnxGraph.read(model.bytes());

        assertThat(graph.irVersion()).isEqualTo(expected.get("ir_version").asLong());
        assertThat(graph.producerName()).isEqualTo(expected.get("producer_name").asText());
        Map<String, Long> opsets = new TreeMap<>();
        expected.get("opset_imports").properties().forEach(e -> opsets.put(e.getKey(), e.getValue().asLong()));
        Map<String, Long> read = new TreeMap<>();
        graph.opsets().forEach((domain, version) -> read.put(domain.isEmpty() ? "ai.onnx" : domain, version));
        assertThat(read).isEqualTo(opsets);
        assertThat(graph.opset("")).contains(opsets.get("ai.onnx"));

        checkValues(graph.inputs(), expected.get("graph_inputs"));
        checkValues(graph.outputs(), expected.get("graph_outputs"));

        Set<String> domains = new TreeSet<>();
        expected.get("nodes").forEach(node -> domains.add(node.asText().contains(":")
                ? node.asText().substring(0, node.asText().indexOf(':')) : ""));
        assertThat(graph.nodeDomains()).containsExactlyInAnyOrderElementsOf(domains);
        assertThat(graph.externalData()).isFalse();
        assertThat(OnnxSupport.problems(graph)).isEmpty();
    }

    private static void checkValues(List<ValueSpec> specs, JsonNode expected) {
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        assertThat(specs).extracting(ValueSpec::name).containsExactlyElementsOf(names);
        for (ValueSpec spec : specs) {
            JsonNode type = expected.get(spec.name());
            assertThat(spec.description()).as(spec.name()).isEqualTo(describe(type));
            switch (type.get("kind").asText()) {
                case "tensor" -> {
                    assertThat(spec.kind()).isEqualTo(ValueSpec.Kind.TENSOR);
                    assertThat(spec.elementType().onnxName()).isEqualTo(type.get("type").asText());
                    List<Long> shape = new ArrayList<>();
                    type.get("shape").forEach(dim -> shape.add(dim.isIntegralNumber() ? dim.asLong() : -1L));
                    assertThat(spec.shape()).as(spec.name()).isEqualTo(shape);
                }
                case "sequence" -> {
                    JsonNode map = type.get("element");
                    assertThat(spec.isSequenceOfMaps()).isTrue();
                    assertThat(spec.keyType().onnxName()).isEqualTo(map.get("key").asText());
                    assertThat(spec.elementType().onnxName()).isEqualTo(map.get("value").get("type").asText());
                }
                default -> throw new AssertionError("no test for kind " + type.get("kind"));
            }
        }
    }

    /** The type as ONNX prints it, from the expected file's form of it. */
    private static String describe(JsonNode type) {
        return switch (type.get("kind").asText()) {
            case "tensor" -> {
                String elements = "tensor(" + type.get("type").asText() + ")";
                JsonNode shape = type.get("shape");
                if (shape == null || shape.isNull()) {
                    yield elements;
                }
                List<String> dims = new ArrayList<>();
                shape.forEach(dim -> dims.add(dim.isNull() ? "?" : dim.asText()));
                yield elements + "[" + String.join(",", dims) + "]";
            }
            case "sequence" -> "seq(" + describe(type.get("element")) + ")";
            case "map" -> "map(" + type.get("key").asText() + "," + describe(type.get("value")) + ")";
            default -> throw new AssertionError("no test for kind " + type.get("kind"));
        };
    }

    @ParameterizedTest
    @MethodSource("models")
    void runsAsTheFrameworkPredicted(Case model) {
        JsonNode expected = model.expected();
        double tolerance = expected.get("tolerance").asDouble();
        assertThat(tolerance).isLessThanOrEqualTo(1e-5);
        try (OnnxModel onnx = OnnxModel.load(model.bytes())) {
            Map<String, Tensor> outputs = onnx.run(FrameworkModels.inputs(model, onnx.graph()));

            assertThat(outputs.keySet()).containsExactlyElementsOf(onnx.graph().outputNames());
            expected.get("outputs").properties().forEach(entry -> {
                String name = entry.getKey();
                Tensor actual = outputs.get(name);
                List<JsonNode> values = new ArrayList<>();
                FrameworkModels.flatten(entry.getValue(), values);
                long rows = entry.getValue().size();
                if (onnx.graph().output(name).orElseThrow().isSequenceOfMaps()) {
                    long classes = entry.getValue().get(0).size();
                    assertThat(actual.shape()).containsExactly(rows, classes);
                    assertThat(actual.labels()).isEqualTo(FrameworkModels.strings(expected.get("classes")));
                } else {
                    assertThat(actual.shape()).as(name).isEqualTo(FrameworkModels.shape(entry.getValue()));
                }
                assertThat(actual.size()).isEqualTo(values.size());
                for (int i = 0; i < values.size(); i++) {
                    if (actual.datatype().equals(Tensor.INT64)) {
                        assertThat(actual.longs()[i]).as("%s[%d]", name, i).isEqualTo(values.get(i).asLong());
                    } else {
                        assertThat(actual.value(i)).as("%s[%d]", name, i)
                                .isCloseTo(values.get(i).asDouble(), within(tolerance));
                    }
                }
            });
        }
    }

    @Test
    void aZipMapOutputIsTheProbabilityMatrixWithItsClassLabels() {
        Case zipMap = FrameworkModels.get("breast_cancer_logreg");
        Case plain = FrameworkModels.get("breast_cancer_logreg_nozipmap");
        try (OnnxModel withMaps = OnnxModel.load(zipMap.bytes());
                OnnxModel withoutMaps = OnnxModel.load(plain.bytes())) {
            Tensor probabilities = withMaps.run(FrameworkModels.inputs(zipMap, withMaps.graph())).get("output_probability");
            Tensor matrix = withoutMaps.run(FrameworkModels.inputs(plain, withoutMaps.graph())).get("probabilities");

            assertThat(withMaps.classLabels()).containsExactly(Map.entry("output_probability", List.of("0", "1")));
            assertThat(probabilities.datatype()).isEqualTo(Tensor.FP32);
            assertThat(probabilities.labels()).containsExactly("0", "1");
            assertThat(probabilities.shape()).containsExactly(114, 2);
            for (int i = 0; i < probabilities.size(); i++) {
                assertThat(probabilities.value(i)).isCloseTo(matrix.value(i), within(1e-6));
            }
            for (int row = 0; row < 114; row++) {
                assertThat(probabilities.value(row, 0) + probabilities.value(row, 1)).isCloseTo(1.0, within(1e-6));
            }
        }
    }

    /** One session, eight threads at once, every answer the same as the single-threaded one. */
    @Test
    void oneSessionServesEightThreadsAtOnce() throws Exception {
        for (String name : List.of("breast_cancer_logreg", "bench_mlp20", "bench_trees20", "typed_inputs")) {
            Case model = FrameworkModels.get(name);
            try (OnnxModel onnx = OnnxModel.load(model.bytes())) {
                Map<String, Tensor> batch = FrameworkModels.inputs(model, onnx.graph());
                List<Map<String, Tensor>> requests = new ArrayList<>(rows(batch));
                requests.add(batch);
                List<Map<String, Tensor>> answers = requests.stream().map(onnx::run).toList();

                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Integer>> threads = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        long seed = t;
                        threads.add(pool.submit(() -> {
                            List<Integer> order = new ArrayList<>();
                            for (int i = 0; i < requests.size(); i++) {
                                order.add(i);
                            }
                            start.await();
                            int checked = 0;
                            for (int round = 0; round < 5; round++) {
                                Collections.shuffle(order, new Random(seed * 31 + round));
                                for (int i : order) {
                                    assertThat(onnx.run(requests.get(i))).as("%s request %d", name, i)
                                            .isEqualTo(answers.get(i));
                                    checked++;
                                }
                            }
                            return checked;
                        }));
                    }
                    start.countDown();
                    for (Future<Integer> thread : threads) {
                        assertThat(thread.get()).isEqualTo(5 * requests.size());
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    /** Each row of a batch as a request of its own. */
    private static List<Map<String, Tensor>> rows(Map<String, Tensor> batch) {
        int n = (int) batch.values().iterator().next().rows();
        List<Map<String, Tensor>> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Map<String, Tensor> row = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> input : batch.entrySet()) {
                row.put(input.getKey(), row(input.getValue(), r));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Tensor row(Tensor tensor, int r) {
        long[] shape = tensor.shape();
        int width = tensor.size() / (int) shape[0];
        shape[0] = 1;
        Object data = switch (tensor.data()) {
            case float[] a -> Arrays.copyOfRange(a, r * width, (r + 1) * width);
            case double[] a -> Arrays.copyOfRange(a, r * width, (r + 1) * width);
            case long[] a -> Arrays.copyOfRange(a, r * width, (r + 1) * width);
            case boolean[] a -> Arrays.copyOfRange(a, r * width, (r + 1) * width);
            case String[] a -> Arrays.copyOfRange(a, r * width, (r + 1) * width);
            default -> throw new AssertionError(tensor);
        };
        return new Tensor(tensor.datatype(), shape, data, null);
    }

    @Test
    void aModelRewrittenWithIrVersion99IsReportedAndRefused() {
        byte[] ir99 = ProtoModels.withIrVersion(FrameworkModels.get("breast_cancer_logreg").bytes(), 99);

        OnnxGraph graph = OnnxGraph.read(ir99);

        assertThat(graph.irVersion()).isEqualTo(99);
        assertThat(graph.inputs()).isEqualTo(OnnxGraph.read(FrameworkModels.get("breast_cancer_logreg").bytes()).inputs());
        assertThat(OnnxSupport.problems(graph)).containsExactly("the file is ONNX IR version 99, ONNX Runtime 1.29.0"
                + " reads IR versions up to 13 (export with an older exporter, or lower the model's ir_version with"
                + " the onnx package)");
        assertThatThrownBy(() -> OnnxModel.load(ir99))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("ONNX Runtime 1.29.0 cannot serve this model: the file is ONNX IR version 99");
    }

    @Test
    void aTruncatedModelIsRefusedWithWhereItEnds() {
        byte[] bytes = FrameworkModels.get("credit_xgboost").bytes();
        byte[] cut = Arrays.copyOf(bytes, bytes.length * 3 / 5);

        assertThatThrownBy(() -> OnnxGraph.read(cut))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("truncated at byte " + cut.length + ": graph (from byte ")
                .hasMessageEndingWith("; the file looks cut short (an incomplete upload or copy?)");
        assertThatThrownBy(() -> OnnxModel.load(cut))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("truncated at byte " + cut.length);
    }

    @Test
    void everyCutOfARealModelIsRefusedCleanly() {
        byte[] bytes = FrameworkModels.get("breast_cancer_logreg").bytes();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            try {
                OnnxGraph.read(cut);
            } catch (InvalidModelException expected) {
                assertThat(expected.getMessage()).as("cut at %d", length).isNotBlank();
            }
        }
    }

    @Test
    void randomBytesAreRefusedAsNoModel() {
        byte[] bytes = new byte[FrameworkModels.get("credit_xgboost").bytes().length];
        new Random(2024).nextBytes(bytes);

        assertThatThrownBy(() -> OnnxModel.load(bytes))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("not an ONNX model: ");
    }

    @Test
    void wrongInputsAreRefusedNamingTheInput() {
        Case credit = FrameworkModels.get("credit_xgboost");
        Case typed = FrameworkModels.get("typed_inputs");
        try (OnnxModel trees = OnnxModel.load(credit.bytes()); OnnxModel typedModel = OnnxModel.load(typed.bytes())) {
            Tensor rows = FrameworkModels.inputs(credit, trees.graph()).get("float_input");
            Map<String, Tensor> narrow = Map.of("float_input", Tensor.fp32(new float[2 * 19], 2, 19));
            Map<String, Tensor> typedInputs = new HashMap<>(FrameworkModels.inputs(typed, typedModel.graph()));
            typedInputs.put("amount", Tensor.bytes(new String[] {"12.5"}, 1, 1));

            assertThatThrownBy(() -> trees.run(Map.of("input", rows)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown input 'input'; the model's inputs are 'float_input' (tensor(float)[?,20])");
            assertThatThrownBy(() -> trees.run(narrow))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 'float_input' expects 20 along axis 1 (tensor(float)[?,20]), got shape [2, 19]");
            assertThatThrownBy(() -> typedModel.run(typedInputs))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 'amount' expects FP64 (tensor(double)[?,1]), got BYTES; FP32, INT64 and INT32"
                            + " also convert");
        }
    }

    @Test
    void losslessConversionsGiveTheSameAnswers() {
        Case typed = FrameworkModels.get("typed_inputs");
        Case credit = FrameworkModels.get("credit_xgboost");
        try (OnnxModel typedModel = OnnxModel.load(typed.bytes()); OnnxModel trees = OnnxModel.load(credit.bytes())) {
            Map<String, Tensor> inputs = new HashMap<>(FrameworkModels.inputs(typed, typedModel.graph()));
            Tensor count = inputs.get("count");
            inputs.put("count", Tensor.fp64(count.toDoubles(), count.shape()));
            Map<String, Tensor> asFloat64 = Map.of("float_input", Tensor.fp64(
                    FrameworkModels.inputs(credit, trees.graph()).get("float_input").toDoubles(), 200, 20));

            assertThat(typedModel.run(inputs)).isEqualTo(typedModel.run(FrameworkModels.inputs(typed, typedModel.graph())));
            assertThat(trees.run(asFloat64)).isEqualTo(trees.run(FrameworkModels.inputs(credit, trees.graph())));
        }
    }

    @Test
    void perFeatureColumnsFeedAMatrixModel() {
        for (String name : List.of("credit_xgboost", "credit_torch_mlp")) {
            Case model = FrameworkModels.get(name);
            try (OnnxModel onnx = OnnxModel.load(model.bytes())) {
                List<String> features = FrameworkModels.strings(model.expected().get("feature_names"));
                Tensor matrix = FrameworkModels.inputs(model, onnx.graph()).values().iterator().next();
                int n = (int) matrix.rows();
                Map<String, Object> columns = new LinkedHashMap<>();
                for (int c = features.size() - 1; c >= 0; c--) {
                    double[] column = new double[n];
                    for (int r = 0; r < n; r++) {
                        column[r] = matrix.value(r, c);
                    }
                    columns.put(features.get(c), column);
                }

                Map<String, Tensor> inputs = TabularInput.of(onnx.graph(), features).columns(columns);

                assertThat(inputs.values().iterator().next()).isEqualTo(matrix);
                assertThat(onnx.run(inputs)).isEqualTo(onnx.run(FrameworkModels.inputs(model, onnx.graph())));
            }
        }
    }

    @Test
    void runAfterCloseIsRefused() {
        Case model = FrameworkModels.get("bench_trees20");
        OnnxModel onnx = OnnxModel.load(model.bytes());
        Map<String, Tensor> inputs = FrameworkModels.inputs(model, onnx.graph());
        onnx.run(inputs);
        onnx.close();
        onnx.close();

        assertThatThrownBy(() -> onnx.run(inputs))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the model is closed");
    }
}
