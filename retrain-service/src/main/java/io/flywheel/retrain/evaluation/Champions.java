package io.flywheel.retrain.evaluation;

import io.flywheel.retrain.registry.RegistryDtos;

import java.util.List;

/**
 * The champion version as a {@link Predictor}, by its {@code format}; when it can't be scored offline,
 * an IllegalArgumentException whose message is the report's {@code champion_problem}. Plain Java.
 */
public final class Champions {

    private Champions() {
    }

    /**
     * @param version  the champion's version as the registry describes it
     * @param artifact its artifact's bytes (null for an external version)
     */
    public static Predictor load(RegistryDtos.Version version, byte[] artifact) {
        String format = version.format() == null || "json".equals(version.format()) ? LinearPredictor.FORMAT : version.format();
        return switch (format) {
            case LinearPredictor.FORMAT -> {
                try {
                    yield LinearPredictor.of(artifact);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("its artifact (" + version.framework() + "/" + version.format() + ") is "
                            + e.getMessage(), e);
                }
            }
            case OnnxPredictor.FORMAT -> {
                List<String> features = version.signature() == null || version.signature().inputs() == null ? List.of()
                        : version.signature().inputs().stream().map(RegistryDtos.Feature::name).toList();
                if (features.isEmpty()) {
                    throw new IllegalArgumentException("its ONNX model has no signature naming its features, so the holdout's "
                            + "columns can't be put in its input's order");
                }
                try {
                    yield OnnxPredictor.load(artifact, features);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("its ONNX model can't be scored on the holdout: " + e.getMessage(), e);
                }
            }
            case "external" -> throw new IllegalArgumentException("it is an external model (format external, served at "
                    + (version.endpoint() == null ? "its endpoint" : version.endpoint().url()) + "): it has no artifact, so retrain "
                    + "can't score it offline on the holdout");
            default -> throw new IllegalArgumentException("its format '" + version.format() + "' is not one retrain can evaluate "
                    + "(flywheel-linear, onnx)");
        };
    }
}
