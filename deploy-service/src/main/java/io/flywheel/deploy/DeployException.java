package io.flywheel.deploy;

/**
 * A refusal deploy explains to its caller. Each subclass is one row of rest/ProblemMapping's table
 * (status and problem type); the message is the problem's detail, written for the caller.
 */
public abstract class DeployException extends RuntimeException {
    protected DeployException(String message) {
        super(message, null, false, false);
    }
}
