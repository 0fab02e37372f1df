package io.flywheel.registry;

/** The version is still a draft: it has no artifact, so it can't be downloaded or aliased yet. */
public class VersionNotReadyException extends RegistryException {
    public VersionNotReadyException(String model, int version) {
        super("model version " + model + "/" + version + " is a draft: upload its artifact with PUT .../versions/"
                + version + "/artifact first");
    }
}
