package io.flywheel.monitor;

/** What was asked for does not exist (404). */
public class NotFoundException extends MonitorException {
    public NotFoundException(String message) {
        super(message);
    }
}
