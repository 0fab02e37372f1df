package io.flywheel.deploy;

/** Deploy has not heard of this model from the registry, and nothing of it was ever deployed. */
public class ModelNotFoundException extends NotFoundException {
    public ModelNotFoundException(String model) {
        super("model '" + model + "' is not known to deploy; register it in the registry first");
    }
}
