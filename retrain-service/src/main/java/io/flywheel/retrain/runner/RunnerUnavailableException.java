package io.flywheel.retrain.runner;

import io.flywheel.retrain.resilience.TransientFailure;

/** The runner's backend can't take the run now (the Kubernetes API failed or is unreachable): the job is tried again later. */
public class RunnerUnavailableException extends RuntimeException implements TransientFailure {
    public RunnerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
