package io.flywheel.retrain.storage;

/** S3 could not be reached or refused the call: a 503 for the caller, worth a retry later. */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(Throwable cause) {
        super("the object store is unavailable: " + cause.getMessage(), cause);
    }
}
