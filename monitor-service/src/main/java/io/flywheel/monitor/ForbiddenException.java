package io.flywheel.monitor;

/** The caller may not read this (403); the message says why. */
public class ForbiddenException extends MonitorException {
    public ForbiddenException(String message) {
        super(message);
    }
}
