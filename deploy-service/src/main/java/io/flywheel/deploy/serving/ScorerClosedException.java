package io.flywheel.deploy.serving;

/**
 * The version's model was closed because it left traffic after the request was routed to it: the
 * request path routes again (see {@link Inference}).
 */
public class ScorerClosedException extends RuntimeException {
    public ScorerClosedException(String message) {
        super(message, null, false, false);
    }
}
