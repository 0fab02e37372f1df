package io.flywheel.registry;

/** The caller's If-Match no longer holds: someone else changed the resource first. */
public class PreconditionFailedException extends RegistryException {
    public PreconditionFailedException(String message) {
        super(message);
    }
}
