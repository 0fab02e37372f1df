package io.flywheel.deploy;

/** A request deploy can't act on as sent (400); the message says what to fix. */
public class InvalidRequestException extends DeployException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
