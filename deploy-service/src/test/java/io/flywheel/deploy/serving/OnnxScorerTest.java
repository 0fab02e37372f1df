package io.flywheel.deploy.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.deploy.InvalidInferenceInputException;
import io.flywheel.deploy.registry.RegistryVersion;
import io.flywheel.deploy.support.OnnxModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * ONNX versions in deploy's runtime, without the service: both request forms, the v2 outputs, what the
 * prediction log gets, refusals naming the input, signatures that do not fit, closing, native memory.
 * Expected answers are scikit-learn's own (breast_cancer_logreg.expected.json).
 */
class OnnxScorerTest {

    private static final JsonNode EXPECTED = readJson("breast_cancer_logreg.expected.json");
    private final List<ServedModel> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(ServedModel::close);
    }

    private ServedModel load(String file, RegistryVersion.Signature signature) {
        ServedModel model = ServedModel.load(new RegistryVersion("cancer", 2, "ready", "sklearn", "onnx", signature, Map.of(), Map.of(),
                null), OnnxModels.bytes(file));
        opened.add(model);
        return model;
    }

    private static List<String> featureNames() {
        List<String> names = new ArrayList<>();
        EXPECTED.get("feature_names").forEach(n -> names.add(n.asText()));
        return names;
    }

    private static RegistryVersion.Signature cancerSignature() {
        return new RegistryVersion.Signature(featureNames().stream().map(n -> new RegistryVersion.Field(n, "number")).toList(),
                new RegistryVersion.Field("output_label", "integer"));
    }

    /** Row r of the expected inputs, as the doubles a JSON request carries. */
    private static List<Object> row(int r) {
        List<Object> values = new ArrayList<>();
        EXPECTED.get("inputs").get("float_input").get(r).forEach(v -> values.add(v.asDouble()));
        return values;
    }

    private static double expectedProbability(int r, int column) {
        return EXPECTED.get("outputs").get("output_probability").get(r).get(column).asDouble();
    }

    private static InferRequest.Input input(String name, String datatype, List<Long> shape, List<Object> data) {
        return new InferRequest.Input(name, shape, datatype, null, data);
    }

    @Test
    void theTensorFormAnswersEveryGraphOutputWithClassLabelsAndLogsByFeatureName() {
        ServedModel model = load("breast_cancer_logreg", cancerSignature());
        List<Object> data = new ArrayList<>(row(0));
        data.addAll(row(1));

        Scores scores = model.scorer().score(List.of(input("float_input", "FP32", List.of(2L, 30L), data)));

        assertThat(scores.rows()).isEqualTo(2);
        assertThat(scores.outputs()).extracting(InferResponse.Output::name).containsExactly("output_label", "output_probability");
        InferResponse.Output label = scores.outputs().get(0);
        assertThat(label.datatype()).isEqualTo("INT64");
        assertThat(label.shape()).containsExactly(2);
        assertThat(new ArrayList<Object>(label.data())).containsExactly(1L, 1L);
        InferResponse.Output probabilities = scores.outputs().get(1);
        assertThat(probabilities.datatype()).isEqualTo("FP32");
        assertThat(probabilities.shape()).containsExactly(2, 2);
        assertThat(probabilities.parameters()).isEqualTo(Map.of("labels", List.of("0", "1")));
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                assertThat(((Number) probabilities.data().get(r * 2 + c)).doubleValue()).isCloseTo(expectedProbability(r, c), within(1e-5));
            }
        }
        // per contract: a binary classifier logs the probability of class 1 and the label
        @SuppressWarnings("unchecked") Map<String, Object> logged = (Map<String, Object>) scores.loggedOutputs().get(1);
        assertThat(logged).containsOnlyKeys("probability", "label").containsEntry("label", 1L);
        assertThat(((Number) logged.get("probability")).doubleValue()).isCloseTo(expectedProbability(1, 1), within(1e-5));
        // inputs by the signature's feature names: the matrix's columns, the values the request sent
        Map<String, Object> inputs = scores.loggedInputs().get(1);
        assertThat(inputs.keySet()).containsExactlyElementsOf(featureNames());
        assertThat(inputs.get("mean radius")).isEqualTo(row(1).getFirst());
        assertThat(model.scorer().platform()).isEqualTo("onnxruntime_onnx");
        assertThat(model.scorer().outputs()).extracting(TensorSpec::datatype).containsExactly("INT64", "FP32");
    }

    @Test
    void theTabularFormFillsTheMatrixInTheSignaturesOrderWhateverTheRequestsOrder() {
        ServedModel model = load("breast_cancer_logreg", cancerSignature());
        List<String> names = featureNames();
        List<InferRequest.Input> inputs = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            inputs.add(input(names.get(c), "FP64", List.of(3L), List.of(row(0).get(c), row(1).get(c), row(2).get(c))));
        }
        Collections.reverse(inputs);

        Scores scores = model.scorer().score(inputs);

        assertThat(scores.rows()).isEqualTo(3);
        for (int r = 0; r < 3; r++) {
            assertThat(((Number) scores.outputs().get(1).data().get(r * 2 + 1)).doubleValue())
                    .isCloseTo(expectedProbability(r, 1), within(1e-5));
            assertThat(scores.loggedInputs().get(r).get(names.get(4))).isEqualTo(row(r).get(4));
        }
    }

    @Test
    void aModelWithOneTensorPerFeatureTakesTabularRowsAndLogsARegressionsValue() {
        RegistryVersion.Signature signature = new RegistryVersion.Signature(List.of(new RegistryVersion.Field("amount", "number"),
                new RegistryVersion.Field("count", "integer"), new RegistryVersion.Field("flag", "boolean"),
                new RegistryVersion.Field("country", "string")), new RegistryVersion.Field("score", "number"));
        ServedModel model = load("typed_inputs", signature);
        JsonNode typed = readJson("typed_inputs.expected.json");
        List<Object> amount = new ArrayList<>();
        List<Object> count = new ArrayList<>();
        List<Object> flag = new ArrayList<>();
        List<Object> country = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            amount.add(typed.get("inputs").get("amount").get(r).get(0).asDouble());
            count.add(typed.get("inputs").get("count").get(r).get(0).asLong());
            flag.add(typed.get("inputs").get("flag").get(r).get(0).asBoolean());
            country.add(typed.get("inputs").get("country").get(r).get(0).asText());
        }
        // [n] as a tabular caller sends it, for the graph's [N, 1]; the count as FP64 whole numbers converts to INT64
        Scores scores = model.scorer().score(List.of(input("amount", "FP64", List.of(3L), amount),
                input("count", "FP64", List.of(3L), count.stream().map(c -> (Object) ((Long) c).doubleValue()).toList()),
                input("flag", "BOOL", List.of(3L), flag), input("country", "BYTES", List.of(3L), country)));

        for (int r = 0; r < 3; r++) {
            double expected = typed.get("outputs").get("score").get(r).get(0).asDouble();
            assertThat(((Number) scores.loggedOutputs().get(r)).doubleValue()).isCloseTo(expected, within(1e-9));
        }
        assertThat(scores.outputs().getFirst().shape()).containsExactly(3, 1);
        assertThat(scores.loggedInputs().get(2)).containsOnlyKeys("amount", "count", "flag", "country")
                .containsEntry("country", country.get(2)).containsEntry("flag", flag.get(2));
    }

    @Test
    void everyRefusalNamesTheInput() {
        ServedModel model = load("breast_cancer_logreg", cancerSignature());
        List<Object> short19 = new ArrayList<>(row(0).subList(0, 19));
        refused(model, List.of(input("float_input", "FP32", List.of(1L, 19L), short19)), "float_input",
                "input 'float_input' expects 30 along axis 1");
        refused(model, List.of(input("float_input", "FP32", List.of(1L, 30L), row(0)), input("extra", "FP32", List.of(1L), List.of(1.0))),
                "extra", "input 'extra' is neither one of the model's inputs (float_input tensor(float)[?,30]) nor one of its features");
        List<Object> withText = new ArrayList<>(row(0));
        withText.set(3, "large");
        refused(model, List.of(input("float_input", "FP32", List.of(1L, 30L), withText)), "float_input",
                "input 'float_input' element 3 must be a number, got a string (\"large\")");
        refused(model, List.of(input("float_input", "FP32", List.of(2L, 30L), row(0))), "float_input",
                "input 'float_input' has shape [2, 30] but 30 value(s)");
        refused(model, List.of(input("float_input", "BOOL", List.of(1L, 30L), row(0))), "float_input",
                "input 'float_input' element 0 must be a boolean");
        refused(model, List.of(), "inputs", "inputs is required");

        List<String> names = featureNames();
        List<InferRequest.Input> tabular = new ArrayList<>();
        for (int c = 1; c < names.size(); c++) {
            tabular.add(input(names.get(c), "FP64", List.of(1L), List.of(row(0).get(c))));
        }
        refused(model, tabular, "mean radius", "feature 'mean radius' is missing");
        tabular.add(input("mean radius", "BYTES", List.of(1L), List.of("13")));
        refused(model, tabular, "mean radius", "input 'mean radius' has datatype BYTES, but the signature says number: send FP64");
    }

    @Test
    void theRequestsOutputsSelectionIsNotTheScorersConcernButEveryOutputIsThere() {
        ServedModel model = load("bench_trees20", benchSignature());
        List<Object> data = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            data.add(i / 10.0);
        }
        Scores scores = model.scorer().score(List.of(input("float_input", "FP64", null, data)));
        // no shape: the graph's [?, 20] makes it one row of 20
        assertThat(scores.rows()).isEqualTo(1);
        assertThat(scores.outputs()).extracting(InferResponse.Output::name).containsExactly("label", "probabilities");
        // the trees' probabilities carry no labels (no ZipMap, no registry reading): the last column is class 1
        @SuppressWarnings("unchecked") Map<String, Object> logged = (Map<String, Object>) scores.loggedOutputs().getFirst();
        assertThat(((Number) logged.get("probability")).doubleValue())
                .isEqualTo(((Number) scores.outputs().get(1).data().get(1)).doubleValue());
    }

    @Test
    void signaturesThatDoNotFitTheGraphAreNotServable() {
        RegistryVersion.Signature three = new RegistryVersion.Signature(List.of(new RegistryVersion.Field("a", "number"),
                new RegistryVersion.Field("b", "number"), new RegistryVersion.Field("c", "number")), null);
        assertThatThrownBy(() -> load("breast_cancer_logreg", three)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the signature does not fit the model").hasMessageContaining("takes 30 features per row, 3 were named");
        assertThatThrownBy(() -> load("typed_inputs", three)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the signature's features (a, b, c) are not the model's inputs (amount, count, flag, country)");
        assertThatThrownBy(() -> load("typed_inputs", null).scorer().score(List.of())).isInstanceOf(InvalidInferenceInputException.class);
        assertThatThrownBy(() -> ServedModel.load(new RegistryVersion("m", 1, "ready", null, "onnx", null, Map.of(), Map.of(), null),
                "{\"format\": \"flywheel-linear/v1\"}".getBytes())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ONNX model");
        assertThatThrownBy(() -> ServedModel.load(new RegistryVersion("m", 1, "ready", null, "pickle", null, Map.of(), Map.of(), null),
                new byte[]{1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format 'pickle' is not one deploy's runtime serves (flywheel-linear, onnx)");
    }

    @Test
    void withoutASignatureTheFeaturesComeFromTheGraph() {
        ServedModel matrix = load("breast_cancer_logreg", null);
        assertThat(matrix.signature().names()).hasSize(30).startsWith("float_input_0", "float_input_1").endsWith("float_input_29");
        assertThat(matrix.signature().outputName()).isEqualTo("output_label");
        ServedModel typed = load("typed_inputs", null);
        assertThat(typed.signature().inputs()).extracting(ServedSignature.InputSpec::type)
                .containsExactly("number", "integer", "boolean", "string");
    }

    @Test
    void aClosedModelTellsTheRequestPathToRouteAgain() {
        ServedModel model = load("breast_cancer_logreg", cancerSignature());
        model.close();
        assertThat(model.isClosed()).isTrue();
        assertThatThrownBy(() -> model.scorer().score(List.of(input("float_input", "FP32", List.of(1L, 30L), row(0)))))
                .isInstanceOf(ScorerClosedException.class);
    }

    /**
     * Native memory stays flat: 200-row ZipMap requests through the whole scoring path (v2 outputs and
     * the log's rows read as the sender does), then versions loaded and closed over and over, as
     * rollouts do. Each window's RSS growth must stay under 16 MB in at least one of three windows
     * (a leak grows every window: the ZipMap one by about 64 MB per 1,000 such runs).
     *
     * <p>Measured in a JVM of its own ({@link NativeMemoryProbe}) with a fixed, pre-touched heap: in the
     * test JVM the Quarkus tests' application runs beside it, and its heap pages becoming resident moved
     * RSS by 83–90 MB in a window with no leak (CI, twice), whatever was subtracted for the JVM's pools.
     */
    @Test
    void nativeMemoryStaysFlatUnderLoadAndAcrossLoadAndClose() throws Exception {
        // The class path goes in an argument file: ONNX Runtime 1.29 crashes the process (SIGSEGV) when it
        // starts its environment under a command line longer than about 4 KB, and this one is ~60 KB.
        Path arguments = Files.createTempFile("onnx-memory-probe", ".args");
        Files.writeString(arguments, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms192m", "-Xmx192m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "@" + arguments, NativeMemoryProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes());
        assertThat(probe.waitFor()).as("the probe's exit code; it printed:%n%s", output).isZero();
        Files.delete(arguments);
        Map<String, Long> growth = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            String[] parts = line.split("=", 2);
            if (parts.length == 2 && parts[1].matches("-?\\d+")) {
                growth.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        assertThat(growth).as("the probe's figures; it printed:%n%s", output).containsKeys("scoring", "reloading");
        System.out.printf("native memory growth, least of three windows: %.1f MB over 1,000 requests of 200 rows, %.1f MB over 100 versions%n",
                growth.get("scoring") / 1048576.0, growth.get("reloading") / 1048576.0);
        assertThat(growth.get("scoring")).as("resident memory growth over 1,000 requests of 200 rows").isLessThan(16L << 20);
        assertThat(growth.get("reloading")).as("resident memory growth over 100 versions loaded, used and closed")
                .isLessThan(16L << 20);
    }

    /** The memory test's body, run by {@link #nativeMemoryStaysFlatUnderLoadAndAcrossLoadAndClose} in a JVM of its own. */
    static final class NativeMemoryProbe {

        public static void main(String[] args) throws IOException {
            ServedModel model = ServedModel.load(new RegistryVersion("cancer", 2, "ready", "sklearn", "onnx", cancerSignature(),
                    Map.of(), Map.of(), null), OnnxModels.bytes("breast_cancer_logreg"));
            List<Object> data = new ArrayList<>();
            for (int r = 0; r < 200; r++) {
                data.addAll(row(r % 20));
            }
            List<InferRequest.Input> request = List.of(input("float_input", "FP64", List.of(200L, 30L), data));
            for (int i = 0; i < 2000; i++) {
                drain(model.scorer().score(request));
            }
            long scoring = Long.MAX_VALUE;
            for (int window = 0; window < 3; window++) {
                long before = residentBytes();
                for (int i = 0; i < 1000; i++) {
                    drain(model.scorer().score(request));
                }
                scoring = Math.min(scoring, residentBytes() - before);
            }
            model.close();
            System.out.println("scoring=" + scoring);

            long reloading = Long.MAX_VALUE;
            for (int window = 0; window < 3; window++) {
                long before = residentBytes();
                for (int i = 0; i < 100; i++) {
                    ServedModel version = ServedModel.load(new RegistryVersion("trees", 3, "ready", "xgboost", "onnx", benchSignature(),
                            Map.of(), Map.of(), null), OnnxModels.bytes("bench_trees20"));
                    drain(version.scorer().score(trees(8)));
                    version.close();
                }
                reloading = Math.min(reloading, residentBytes() - before);
            }
            System.out.println("reloading=" + reloading);
        }
    }

    private static List<InferRequest.Input> trees(int rows) {
        List<Object> data = new ArrayList<>();
        for (int i = 0; i < rows * 20; i++) {
            data.add((i % 13) / 3.0);
        }
        return List.of(input("float_input", "FP64", List.of((long) rows, 20L), data));
    }

    /** Reads everything the answer and the log would read. */
    private static void drain(Scores scores) {
        for (InferResponse.Output output : scores.outputs()) {
            for (Object o : output.data()) {
                assertThat(o).isNotNull();
            }
        }
        for (int r = 0; r < scores.rows(); r++) {
            assertThat(new LinkedHashMap<>(scores.loggedInputs().get(r))).isNotEmpty();
            assertThat(scores.loggedOutputs().get(r)).isNotNull();
        }
    }

    private static RegistryVersion.Signature benchSignature() {
        List<RegistryVersion.Field> fields = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fields.add(new RegistryVersion.Field("x" + i, "number"));
        }
        return new RegistryVersion.Signature(fields, new RegistryVersion.Field("label", "integer"));
    }

    private static JsonNode readJson(String name) {
        try (InputStream in = OnnxScorerTest.class.getResourceAsStream("/onnx/" + name)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void refused(ServedModel model, List<InferRequest.Input> inputs, String field, String message) {
        assertThatThrownBy(() -> model.scorer().score(inputs))
                .isInstanceOf(InvalidInferenceInputException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidInferenceInputException) e).field()).isEqualTo(field));
    }

    /**
     * Resident memory outside the JVM's own pools: the process's RSS less the heap and non-heap memory the
     * JVM has committed (the probe's heap is fixed and pre-touched; metaspace and JIT code still grow).
     */
    private static long residentBytes() throws IOException {
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        long jvm = memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024 - jvm;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
