package io.flywheel.deploy;

/** The caller's If-Match names a deployment state that is no longer current (412). */
public class PreconditionFailedException extends DeployException {
    public PreconditionFailedException(String message) {
        super(message);
    }
}
