package io.flywheel.deploy;

/** An inference input that does not match the serving version's signature (400); {@link #field()} names it. */
public class InvalidInferenceInputException extends DeployException {
    private final String field;

    public InvalidInferenceInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
