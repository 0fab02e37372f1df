package io.flywheel.retrain;

/** A request or an operation that retraining refuses; rest.ProblemMapping maps each subclass once. */
public abstract class RetrainException extends RuntimeException {
    protected RetrainException(String message) {
        super(message);
    }

    protected RetrainException(String message, Throwable cause) {
        super(message, cause);
    }
}
