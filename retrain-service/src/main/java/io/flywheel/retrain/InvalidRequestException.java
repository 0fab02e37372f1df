package io.flywheel.retrain;

/** The request can't be carried out as sent; the message says what to fix: a 400. */
public class InvalidRequestException extends RetrainException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
