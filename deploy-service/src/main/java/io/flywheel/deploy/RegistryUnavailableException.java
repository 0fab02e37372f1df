package io.flywheel.deploy;

import io.flywheel.problem.DependencyUnavailableException;

/**
 * The registry did not answer as its contract says (down, timed out, 5xx): nothing was changed. A 503
 * registry-unavailable with Retry-After for a caller; a consumer waits for the registry to come back.
 */
public class RegistryUnavailableException extends DependencyUnavailableException {
    public RegistryUnavailableException(String message) {
        super("registry", message, null);
    }
}
