package io.flywheel.registry;

/** The caller may not do this (e.g. move a protected label without being an admin). */
public class ForbiddenException extends RegistryException {
    public ForbiddenException(String message) {
        super(message);
    }
}
