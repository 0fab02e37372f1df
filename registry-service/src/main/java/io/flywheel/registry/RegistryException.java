package io.flywheel.registry;

/**
 * A request the registry refuses for a reason the caller can act on. Each subclass maps to one
 * HTTP status and problem type in {@code rest.ProblemMapping}; the message is the problem's detail,
 * so it says what is wrong and how to fix it.
 */
public abstract class RegistryException extends RuntimeException {
    protected RegistryException(String message) {
        super(message, null, false, false);
    }
}
