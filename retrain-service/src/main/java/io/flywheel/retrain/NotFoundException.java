package io.flywheel.retrain;

/** The named thing does not exist: a 404. */
public class NotFoundException extends RetrainException {
    public NotFoundException(String what, String name) {
        super(what + " '" + name + "' does not exist");
    }
}
