package io.flywheel.deploy;

/** Nothing of this model is live in the environment asked for, so there is nothing to infer with (404). */
public class NotServingException extends NotFoundException {
    public NotServingException(String model, String environment) {
        super("model '" + model + "' has no version live in '" + environment + "'; promote one there first");
    }
}
