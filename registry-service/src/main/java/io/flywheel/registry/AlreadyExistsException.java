package io.flywheel.registry;

/** A create named a resource that is already there. */
public class AlreadyExistsException extends RegistryException {
    public AlreadyExistsException(String kind, String id) {
        super(kind + " '" + id + "' already exists");
    }
}
