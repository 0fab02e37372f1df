package io.flywheel.registry;

/** An upload or a JSON body larger than the registry accepts. */
public class PayloadTooLargeException extends RegistryException {
    public PayloadTooLargeException(String message) {
        super(message);
    }
}
