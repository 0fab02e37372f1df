package io.flywheel.monitor;

import io.flywheel.problem.DependencyUnavailableException;

/** The registry did not answer or failed: a 503 for the caller, worth a retry later; a consumer waits for it. */
public class RegistryUnavailableException extends DependencyUnavailableException {
    public RegistryUnavailableException(String message) {
        super("registry", message, null);
    }
}
