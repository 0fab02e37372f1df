package io.flywheel.retrain.registry;

import io.flywheel.retrain.resilience.TransientFailure;

/** The registry did not answer, or answered 5xx, 408 or 429: worth trying again later. */
public class RegistryUnavailableException extends RuntimeException implements TransientFailure {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
