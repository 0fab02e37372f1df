package io.flywheel.retrain.storage;

import io.flywheel.problem.DependencyUnavailableException;
import io.flywheel.retrain.resilience.TransientFailure;

/** S3 could not be reached or refused the call: a 503 for the caller, worth a retry later. */
public class StorageUnavailableException extends DependencyUnavailableException implements TransientFailure {
    public StorageUnavailableException(Throwable cause) {
        super("storage", "the object store is unavailable; retry later", cause);
    }
}
