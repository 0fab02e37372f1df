package io.flywheel.linear;

/**
 * An input that does not match the model's features: missing, of the wrong type, or not
 * finite. The message names the feature and says what is wrong, fit to be shown to the caller
 * (a serving runtime turns it into a 400 problem); {@link #feature()} names the field alone.
 */
public final class InvalidInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String feature;

    public InvalidInputException(String feature, String message) {
        super(message);
        this.feature = feature;
    }

    /** The offending feature's name, or null when the input as a whole is wrong (e.g. its length). */
    public String feature() {
        return feature;
    }
}
