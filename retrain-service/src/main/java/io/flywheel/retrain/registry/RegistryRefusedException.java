package io.flywheel.retrain.registry;

/** The registry refused the call with a 4xx: asking again won't help. {@code status} is the HTTP status. */
public class RegistryRefusedException extends RuntimeException {
    private final int status;

    public RegistryRefusedException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
