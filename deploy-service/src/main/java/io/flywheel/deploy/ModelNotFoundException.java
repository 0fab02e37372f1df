package io.flywheel.deploy;

/** Deploy has not heard of this model from the registry. */
public class ModelNotFoundException extends RuntimeException {
    public ModelNotFoundException(String model) {
        super("model '" + model + "' is not known to deploy; register it in the registry first", null, false, false);
    }
}
