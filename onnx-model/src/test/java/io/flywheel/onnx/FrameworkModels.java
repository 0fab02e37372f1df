package io.flywheel.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The models made by torch, scikit-learn and XGBoost in resources/onnx, each with
 * {@code <name>.expected.json}: what the graph declares, the rows it was run on and what the framework
 * predicted for them (written by the model-making script the JSON names).
 */
final class FrameworkModels {

    static final ObjectMapper JSON = new ObjectMapper();

    private FrameworkModels() {
    }

    record Case(String name, byte[] bytes, JsonNode expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Path directory() {
        try {
            return Path.of(FrameworkModels.class.getClassLoader().getResource("onnx").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Case> all() {
        try (Stream<Path> files = Files.list(directory())) {
            List<Path> expected = files.filter(p -> p.getFileName().toString().endsWith(".expected.json")).sorted().toList();
            return expected.stream().map(FrameworkModels::load);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Case get(String name) {
        return load(directory().resolve(name + ".expected.json"));
    }

    private static Case load(Path expectedFile) {
        try {
            JsonNode expected = JSON.readTree(expectedFile.toFile());
            byte[] bytes = Files.readAllBytes(directory().resolve(expected.get("model").asText()));
            String name = expectedFile.getFileName().toString().replace(".expected.json", "");
            return new Case(name, bytes, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of {@code inputs} as tensors of each graph input's datatype, shaped as the JSON nests them. */
    static Map<String, Tensor> inputs(Case model, OnnxGraph graph) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        model.expected().get("inputs").properties().forEach(entry -> {
            ValueSpec spec = graph.input(entry.getKey()).orElseThrow();
            inputs.put(entry.getKey(), tensor(spec.v2Datatype(), entry.getValue()));
        });
        return inputs;
    }

    /** The extent of each level of nesting. */
    static long[] shape(JsonNode nested) {
        List<Long> shape = new ArrayList<>();
        for (JsonNode node = nested; node.isArray(); node = node.get(0)) {
            shape.add((long) node.size());
        }
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    static Tensor tensor(String datatype, JsonNode nested) {
        List<JsonNode> flat = new ArrayList<>();
        flatten(nested, flat);
        long[] dims = shape(nested);
        int n = flat.size();
        return switch (datatype) {
            case Tensor.FP32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) flat.get(i).doubleValue();
                }
                yield Tensor.fp32(a, dims);
            }
            case Tensor.FP64 -> Tensor.fp64(flat.stream().mapToDouble(JsonNode::doubleValue).toArray(), dims);
            case Tensor.INT64 -> Tensor.int64(flat.stream().mapToLong(JsonNode::longValue).toArray(), dims);
            case Tensor.BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = flat.get(i).booleanValue();
                }
                yield Tensor.bool(a, dims);
            }
            case Tensor.BYTES -> Tensor.bytes(flat.stream().map(JsonNode::textValue).toArray(String[]::new), dims);
            default -> throw new IllegalArgumentException("no test inputs of " + datatype);
        };
    }

    static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(element -> flatten(element, out));
        } else {
            out.add(node);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }
}
