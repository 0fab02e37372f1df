package io.flywheel.registry;

/** Lineage names something the registry does not hold (a dataset version, a parent version). */
public class UnknownLineageException extends RegistryException {
    public UnknownLineageException(String message) {
        super(message);
    }
}
