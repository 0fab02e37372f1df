package io.flywheel.monitor;

/** Another service (the registry) did not answer or failed (502): worth a retry later. */
public class UpstreamUnavailableException extends MonitorException {
    public UpstreamUnavailableException(String message) {
        super(message);
    }
}
