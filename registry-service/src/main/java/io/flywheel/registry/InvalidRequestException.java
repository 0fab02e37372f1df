package io.flywheel.registry;

/** The request is well-formed but asks for something that can't be: the message says what to change. */
public class InvalidRequestException extends RegistryException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
