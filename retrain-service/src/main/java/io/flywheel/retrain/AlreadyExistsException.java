package io.flywheel.retrain;

/** The request would take a name that is already taken: a 409. */
public class AlreadyExistsException extends RetrainException {
    public AlreadyExistsException(String message) {
        super(message);
    }
}
