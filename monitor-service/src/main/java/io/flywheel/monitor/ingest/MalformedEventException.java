package io.flywheel.monitor.ingest;

/** An event that can't be processed as it is: it goes to the dead-letter topic with this reason. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String reason) {
        super(reason, null, false, false);
    }
}
