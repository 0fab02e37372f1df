package io.flywheel.deploy;

/** The registry did not answer as its contract says (down, timed out, 5xx): nothing was changed (503). */
public class RegistryUnavailableException extends DeployException {
    public RegistryUnavailableException(String message) {
        super(message);
    }
}
