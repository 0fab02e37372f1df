package io.flywheel.registry;

/** A finalised model version can't change its metadata or its artifact; only its description and tags. */
public class VersionFinalisedException extends RegistryException {
    public VersionFinalisedException(String model, int version, String what) {
        super("model version " + model + "/" + version + " is finalised: its " + what
                + " can't change (only description and tags can); register a new version instead");
    }
}
