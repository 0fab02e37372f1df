package io.flywheel.deploy;

/** The request contradicts the deployment's current state, e.g. a second rollout while one runs (409). */
public class ConflictException extends DeployException {
    public ConflictException(String message) {
        super(message);
    }
}
