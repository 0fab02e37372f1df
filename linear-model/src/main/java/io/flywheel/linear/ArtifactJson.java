package io.flywheel.linear;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flywheel.linear.ModelArtifact.Feature;
import io.flywheel.linear.ModelArtifact.Target;
import io.flywheel.linear.ModelArtifact.Training;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The artifact's JSON shape, written and read by hand so that it stays exactly as documented. */
final class ArtifactJson {

    private ArtifactJson() {
    }

    static String write(ModelArtifact artifact) {
        ObjectNode root = Json.object();
        root.put("format", artifact.format());
        root.put("task", artifact.task().id());
        ArrayNode features = root.putArray("features");
        for (Feature feature : artifact.features()) {
            ObjectNode node = features.addObject();
            node.put("name", feature.name());
            node.put("type", feature.type().id());
            if (feature.type() == FeatureType.STRING) {
                ArrayNode categories = node.putArray("categories");
                feature.categories().forEach(categories::add);
            } else {
                node.put("mean", feature.mean());
                node.put("std", feature.std());
            }
        }
        root.put("intercept", artifact.intercept());
        ArrayNode coefficients = root.putArray("coefficients");
        artifact.coefficients().forEach(coefficients::add);
        ObjectNode target = root.putObject("target");
        target.put("name", artifact.target().name());
        if (artifact.target().positiveLabel() != null) {
            Json.putScalar(target, "positive_label", artifact.target().positiveLabel());
            Json.putScalar(target, "negative_label", artifact.target().negativeLabel());
        }
        if (artifact.threshold() != null) {
            root.put("threshold", artifact.threshold());
        }
        if (artifact.l2() != null) {
            root.put("l2", artifact.l2());
        }
        if (artifact.trainedAt() != null) {
            root.put("trained_at", artifact.trainedAt().toString());
        }
        Training training = artifact.training();
        if (training != null) {
            ObjectNode node = root.putObject("training");
            node.put("rows", training.rows());
            node.put("holdout_rows", training.holdoutRows());
            node.put("holdout_fraction", training.holdoutFraction());
            node.put("seed", training.seed());
            if (training.datasetUri() != null) {
                node.put("dataset_uri", training.datasetUri());
            }
            node.put("iterations", training.iterations());
            node.put("converged", training.converged());
            Json.putScalar(node, "objective", training.objective());
        }
        return Json.write(root);
    }

    static ModelArtifact read(String json) {
        JsonNode root = Json.parse(json, "artifact");
        if (!root.isObject()) {
            throw new IllegalArgumentException("artifact must be a JSON object");
        }
        String format = text(root, "format", "format");
        Task task = Task.of(text(root, "task", "task"));
        JsonNode featureNodes = root.get("features");
        if (featureNodes == null || !featureNodes.isArray()) {
            throw new IllegalArgumentException("features must be an array");
        }
        List<Feature> features = new ArrayList<>();
        for (int i = 0; i < featureNodes.size(); i++) {
            features.add(feature(featureNodes.get(i), "features[" + i + "]"));
        }
        double intercept = number(root, "intercept", "intercept");
        JsonNode coefficientNodes = root.get("coefficients");
        if (coefficientNodes == null || !coefficientNodes.isArray()) {
            throw new IllegalArgumentException("coefficients must be an array of numbers");
        }
        List<Double> coefficients = new ArrayList<>();
        for (int i = 0; i < coefficientNodes.size(); i++) {
            JsonNode c = coefficientNodes.get(i);
            if (!c.isNumber()) {
                throw new IllegalArgumentException("coefficients[" + i + "] must be a number");
            }
            coefficients.add(c.doubleValue());
        }
        JsonNode targetNode = root.get("target");
        if (targetNode == null || !targetNode.isObject()) {
            throw new IllegalArgumentException("target must be an object with a name");
        }
        Target target = new Target(text(targetNode, "name", "target.name"),
                label(targetNode, "positive_label"), label(targetNode, "negative_label"));
        Double threshold = optionalNumber(root, "threshold");
        if (threshold == null && task == Task.BINARY_CLASSIFICATION) {
            threshold = 0.5;
        }
        Double l2 = optionalNumber(root, "l2");
        Instant trainedAt = null;
        if (root.hasNonNull("trained_at")) {
            String at = text(root, "trained_at", "trained_at");
            try {
                trainedAt = Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("trained_at must be an ISO-8601 instant, got " + Values.render(at));
            }
        }
        Training training = root.hasNonNull("training") ? training(root.get("training")) : null;
        return new ModelArtifact(format, task, features, intercept, coefficients, target, threshold, l2,
                trainedAt, training);
    }

    private static Feature feature(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + " must be an object");
        }
        String name = text(node, "name", path + ".name");
        FeatureType type = FeatureType.of(text(node, "type", path + ".type"));
        if (type == FeatureType.STRING) {
            JsonNode categories = node.get("categories");
            if (categories == null || !categories.isArray()) {
                throw new IllegalArgumentException("feature '" + name + "': categories must be an array of strings");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode c : categories) {
                if (!c.isTextual()) {
                    throw new IllegalArgumentException("feature '" + name + "': categories must be strings");
                }
                values.add(c.textValue());
            }
            if (node.has("mean") || node.has("std")) {
                throw new IllegalArgumentException(
                        "feature '" + name + "': a string feature has categories, not mean and std");
            }
            return Feature.categorical(name, values);
        }
        if (node.has("categories")) {
            throw new IllegalArgumentException("feature '" + name + "': only string features have categories");
        }
        return Feature.scaled(name, type, number(node, "mean", "feature '" + name + "': mean"),
                number(node, "std", "feature '" + name + "': std"));
    }

    private static Training training(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("training must be an object");
        }
        return new Training(
                (int) number(node, "rows", "training.rows"),
                node.has("holdout_rows") ? (int) number(node, "holdout_rows", "training.holdout_rows") : 0,
                node.has("holdout_fraction") ? number(node, "holdout_fraction", "training.holdout_fraction") : 0.0,
                node.has("seed") ? (long) number(node, "seed", "training.seed") : 0L,
                node.hasNonNull("dataset_uri") ? text(node, "dataset_uri", "training.dataset_uri") : null,
                node.has("iterations") ? (int) number(node, "iterations", "training.iterations") : 0,
                node.has("converged") && node.get("converged").asBoolean(),
                node.hasNonNull("objective") ? number(node, "objective", "training.objective") : Double.NaN);
    }

    private static Object label(JsonNode target, String field) {
        JsonNode node = target.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        Object value = Json.scalar(node);
        if (value == null) {
            throw new IllegalArgumentException("target." + field + " must be a boolean, a number or a string");
        }
        return value;
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(path + " is required");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(path + " must be a string");
        }
        return value.textValue();
    }

    private static double number(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(path + " is required");
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(path + " must be a number");
        }
        return value.doubleValue();
    }

    private static Double optionalNumber(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number");
        }
        return value.doubleValue();
    }
}
