package io.flywheel.monitor;

/** Well-formed, but it can't be done with what the monitor has (422), e.g. a version without training data. */
public class UnprocessableException extends MonitorException {
    public UnprocessableException(String message) {
        super(message);
    }
}
