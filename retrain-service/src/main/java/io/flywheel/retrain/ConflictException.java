package io.flywheel.retrain;

/** The request would take a name that is already taken: a 409. */
public class ConflictException extends RetrainException {
    public ConflictException(String message) {
        super(message);
    }
}
