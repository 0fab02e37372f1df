package io.flywheel.retrain.resilience;

/**
 * Marks failures that may pass if tried again later (S3 or the registry unreachable, a 5xx, a full
 * runner): calls are retried with backoff, and a job that still meets one is queued again.
 */
public interface TransientFailure {

    static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransientFailure) {
                return true;
            }
        }
        return false;
    }
}
