package io.flywheel.retrain.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a trainer left in its output directory under the trainer contract (docs/CONTRACTS.md): either
 * {@code model.json} (a {@code flywheel-linear/v1} artifact, which names its own features) or
 * {@code model.onnx} with {@code signature.json} (the features in the order of the model's input
 * matrix, with their types, and the target), and {@code metrics.json}. Plain Java.
 *
 * @param format    {@code flywheel-linear} or {@code onnx}: the candidate's version format
 * @param file      the artifact's file name
 * @param artifact  its bytes, uploaded as they are
 * @param features  for onnx: signature.json's inputs, in order; for flywheel-linear: empty (read from the artifact)
 * @param output    for onnx: signature.json's output, or null
 * @param framework what metrics.json says made the model ({@code "framework"}, a name the registry takes:
 *                  {@code [A-Za-z0-9._+-]{1,64}}, e.g. {@code scikit-learn}), or null
 */
public record TrainerOutput(String format, String file, byte[] artifact, List<Feature> features, Feature output,
                            String framework) {

    public static final String LINEAR_FILE = "model.json";
    public static final String ONNX_FILE = "model.onnx";
    public static final String SIGNATURE_FILE = "signature.json";
    public static final String METRICS_FILE = "metrics.json";
    public static final String LINEAR = "flywheel-linear";
    public static final String ONNX = "onnx";
    /** The registry's signature types. */
    public static final Set<String> TYPES = Set.of("number", "integer", "string", "boolean");

    /** A feature (or the target) of the signature: name and type ({@code number}, {@code integer}, {@code string}, {@code boolean}). */
    public record Feature(String name, String type) {
    }

    /**
     * Reads the directory of a trainer that exited 0.
     *
     * @throws IllegalArgumentException no model, both, or an ONNX model without a usable signature.json; the message says what to fix
     */
    public static TrainerOutput read(Path directory, ObjectMapper json) throws IOException {
        Path linear = directory.resolve(LINEAR_FILE);
        Path onnx = directory.resolve(ONNX_FILE);
        boolean isLinear = Files.isRegularFile(linear);
        boolean isOnnx = Files.isRegularFile(onnx);
        if (isLinear && isOnnx) {
            throw new IllegalArgumentException("the trainer wrote both " + LINEAR_FILE + " and " + ONNX_FILE + "; it must write one model");
        }
        if (!isLinear && !isOnnx) {
            throw new IllegalArgumentException("the trainer exited 0 but wrote neither " + LINEAR_FILE + " (flywheel-linear) nor "
                    + ONNX_FILE + " (onnx) under its output directory");
        }
        String framework = framework(directory.resolve(METRICS_FILE), json);
        if (isLinear) {
            return new TrainerOutput(LINEAR, LINEAR_FILE, Files.readAllBytes(linear), List.of(), null, framework);
        }
        Path signatureFile = directory.resolve(SIGNATURE_FILE);
        if (!Files.isRegularFile(signatureFile)) {
            throw new IllegalArgumentException("the trainer wrote " + ONNX_FILE + " without " + SIGNATURE_FILE
                    + ", which must name the features in the order of the model's input columns");
        }
        JsonNode signature;
        try {
            signature = json.readTree(signatureFile.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("the trainer's " + SIGNATURE_FILE + " is not JSON: " + e.getMessage(), e);
        }
        List<Feature> features = features(signature);
        Feature output = signature.hasNonNull("output") ? feature(signature.get("output"), "output") : null;
        return new TrainerOutput(ONNX, ONNX_FILE, Files.readAllBytes(onnx), features, output, framework);
    }

    public List<String> featureNames() {
        return features.stream().map(Feature::name).toList();
    }

    private static List<Feature> features(JsonNode signature) {
        JsonNode inputs = signature == null ? null : signature.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new IllegalArgumentException("the trainer's " + SIGNATURE_FILE + " must have \"inputs\": a non-empty list of "
                    + "{\"name\", \"type\"}, the features in the order of the model's input columns");
        }
        List<Feature> features = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            Feature feature = feature(inputs.get(i), "inputs[" + i + "]");
            if (!names.add(feature.name())) {
                throw new IllegalArgumentException("the trainer's " + SIGNATURE_FILE + " names feature '" + feature.name() + "' twice");
            }
            features.add(feature);
        }
        return List.copyOf(features);
    }

    private static Feature feature(JsonNode node, String where) {
        String name = node != null && node.path("name").isTextual() ? node.get("name").textValue() : null;
        String type = node != null && node.path("type").isTextual() ? node.get("type").textValue() : null;
        if (name == null || name.isBlank() || type == null || !TYPES.contains(type)) {
            throw new IllegalArgumentException("the trainer's " + SIGNATURE_FILE + ": " + where + " must be {\"name\": \"<column>\", "
                    + "\"type\": \"number\" | \"integer\" | \"string\" | \"boolean\"}, got " + node);
        }
        return new Feature(name, type);
    }

    /** metrics.json's "framework" (e.g. "scikit-learn 1.2.1"), if the trainer says. */
    private static String framework(Path metrics, ObjectMapper json) {
        if (!Files.isRegularFile(metrics)) {
            return null;
        }
        try {
            JsonNode node = json.readTree(metrics.toFile()).get("framework");
            return node != null && node.isTextual() && node.textValue().matches("[A-Za-z0-9._+-]{1,64}") ? node.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
