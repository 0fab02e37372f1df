package io.flywheel.monitor;

/** A request the monitor can't serve as asked; rest/ProblemMapping turns each subclass into one status. */
public abstract class MonitorException extends RuntimeException {
    protected MonitorException(String message) {
        super(message);
    }
}
