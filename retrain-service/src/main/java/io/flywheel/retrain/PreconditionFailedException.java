package io.flywheel.retrain;

/** If-Match named another revision than the current one: a 412. */
public class PreconditionFailedException extends RetrainException {
    public PreconditionFailedException(String message) {
        super(message);
    }
}
