package io.flywheel.deploy;

/** A live version is still loading (or failed to load) its artifact from the registry (503, retry later). */
public class NotReadyException extends DeployException {
    public NotReadyException(String message) {
        super(message);
    }
}
