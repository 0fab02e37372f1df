package io.flywheel.llm.eval;

/**
 * One case could not be scored, for a reason the caller should record rather than count as a 0: the
 * item has no expected output where the evaluator needs one, or a judge's answer could not be read.
 */
public class EvaluationException extends RuntimeException {

    public EvaluationException(String message) {
        super(message);
    }

    public EvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
