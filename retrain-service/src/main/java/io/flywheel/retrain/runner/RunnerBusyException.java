package io.flywheel.retrain.runner;

import io.flywheel.retrain.resilience.TransientFailure;

/** The runner has no free capacity now: the job waits and is tried again. */
public class RunnerBusyException extends RuntimeException implements TransientFailure {
    public RunnerBusyException(String message) {
        super(message);
    }
}
