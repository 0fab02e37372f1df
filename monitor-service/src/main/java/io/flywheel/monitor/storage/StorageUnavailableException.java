package io.flywheel.monitor.storage;

import io.flywheel.problem.DependencyUnavailableException;


/** S3 could not be reached or refused the call: a 503 for the caller, worth a retry later. */
public class StorageUnavailableException extends DependencyUnavailableException {
    public StorageUnavailableException(Throwable cause) {
        super("storage", "the object store is unavailable; retry later", cause);
    }
}
