package io.flywheel.monitor;

/** The request can't be used as it is (400); the message says what to fix. */
public class BadRequestException extends MonitorException {
    public BadRequestException(String message) {
        super(message);
    }
}
