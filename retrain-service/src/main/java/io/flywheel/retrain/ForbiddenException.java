package io.flywheel.retrain;

/** The caller may not act on what it named (a Langfuse key pair's caller naming another project): a 403. */
public class ForbiddenException extends RetrainException {
    public ForbiddenException(String message) {
        super(message);
    }
}
