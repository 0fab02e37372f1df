package io.flywheel.registry;

/** A finalised model version can't change its metadata or its artifact; only its description and tags. */
public class VersionFinalisedException extends RegistryException {
    public VersionFinalisedException(String model, int version, String what) {
        super("model version " + model + "/" + version + " is finalised: its " + what
                + " can't change (only description and tags can); register a new version instead");
    }

    private VersionFinalisedException(String message) {
        super(message);
    }

    /** An external version is ready from its registration and never takes an artifact. */
    public static VersionFinalisedException external(String model, int version) {
        return new VersionFinalisedException("model version " + model + "/" + version + " is external: it is served"
                + " at its endpoint and takes no artifact; register a version with format onnx or flywheel-linear"
                + " to upload one");
    }
}
