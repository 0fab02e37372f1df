package io.flywheel.registry;

/** The named resource does not exist. */
public class NotFoundException extends RegistryException {
    public NotFoundException(String kind, String id) {
        super(kind + " '" + id + "' does not exist");
    }

    /** Something that does not exist for a reason the message explains. */
    public NotFoundException(String message) {
        super(message);
    }
}
