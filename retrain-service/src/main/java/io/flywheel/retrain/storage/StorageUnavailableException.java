package io.flywheel.retrain.storage;

import io.flywheel.retrain.resilience.TransientFailure;

/** S3 could not be reached or refused the call: a 503 for the caller, worth a retry later. */
public class StorageUnavailableException extends RuntimeException implements TransientFailure {
    public StorageUnavailableException(Throwable cause) {
        super("the object store is unavailable: " + cause.getMessage(), cause);
    }
}
