package io.flywheel.retrain;

/** A webhook call without a valid signature (or token): a 401. The message never holds the secret. */
public class UnauthorizedException extends RetrainException {
    public UnauthorizedException(String message) {
        super(message);
    }
}
