package io.flywheel.retrain.registry;

import io.flywheel.problem.DependencyUnavailableException;
import io.flywheel.retrain.resilience.TransientFailure;

/** The registry did not answer, or answered 5xx, 408 or 429: worth trying again later (a 503 for a caller). */
public class RegistryUnavailableException extends DependencyUnavailableException implements TransientFailure {
    public RegistryUnavailableException(String message, Throwable cause) {
        super("registry", message, cause);
    }
}
