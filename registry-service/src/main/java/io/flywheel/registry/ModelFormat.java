package io.flywheel.registry;

/**
 * What a model version holds, and so what serves it (docs/CONTRACTS.md "Model formats"): a
 * {@code flywheel-linear/v1} JSON artifact, an ONNX model, or no artifact but an external endpoint.
 */
public final class ModelFormat {

    public static final String FLYWHEEL_LINEAR = "flywheel-linear";
    public static final String ONNX = "onnx";
    public static final String EXTERNAL = "external";
    /** What the first trainers sent; read as flywheel-linear and never stored. */
    public static final String LEGACY_JSON = "json";

    /** What a request may give (the legacy name included), for Bean Validation. */
    public static final String ACCEPTED = "flywheel-linear|onnx|external|json";
    public static final String MESSAGE = "format must be one of flywheel-linear, onnx, external";

    private ModelFormat() {
    }

    /** The stored name: absent and the legacy {@code json} are flywheel-linear. */
    public static String normalise(String format) {
        if (format == null || format.equals(LEGACY_JSON)) {
            return FLYWHEEL_LINEAR;
        }
        if (format.equals(FLYWHEEL_LINEAR) || format.equals(ONNX) || format.equals(EXTERNAL)) {
            return format;
        }
        throw new InvalidRequestException(MESSAGE + " (got '" + format + "')");
    }
}
