package io.flywheel.registry;

/** Every upload slot is taken: a 503 with Retry-After, so memory stays bounded under load. */
public class BusyException extends RegistryException {
    public BusyException(String message) {
        super(message);
    }
}
