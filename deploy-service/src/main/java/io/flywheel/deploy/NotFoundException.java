package io.flywheel.deploy;

/** The model, environment, version or promotion asked for does not exist (404). */
public class NotFoundException extends DeployException {
    public NotFoundException(String message) {
        super(message);
    }
}
