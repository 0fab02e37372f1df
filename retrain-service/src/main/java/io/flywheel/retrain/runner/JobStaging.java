package io.flywheel.retrain.runner;

import java.nio.file.Path;

/**
 * Where a runner whose trainer runs elsewhere puts the training set and finds the outputs: an S3
 * bucket the trainer reaches too. Blocking; called from the job's worker thread or the runner's own.
 */
public interface JobStaging {

    /** Uploads a file and returns its URI ({@code s3://bucket/key}). */
    String upload(Path file, String key);

    /** The URI of a key or prefix. */
    String uri(String key);

    /** Copies every object under the prefix into the directory, by the rest of its key. */
    void download(String prefix, Path directory);

    /** Deletes every object under the prefix. */
    void delete(String prefix);
}
