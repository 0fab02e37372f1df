package io.flywheel.retrain.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of a trainer under the contract of docs/CONTRACTS.md: the training dataset's URI, an output
 * prefix, the parameters (JSON) in; the artifact ({@code model.json}) and {@code metrics.json} under
 * the prefix and an exit code out.
 *
 * @param jobId      the retrain job, for names and logs
 * @param trainer    the trainer's name ({@code flywheel-linear} or one configured under retrain.trainers)
 * @param datasetUri where the training set is (a {@code file://} URI for the embedded runners)
 * @param output     the output prefix (a local directory for the embedded runners)
 * @param paramsJson the trainer's parameters
 * @param trainedAt  the time the artifact records; the job's creation time, so a rerun writes the same bytes
 * @param log        receives the trainer's output, one line at a time
 * @param command    the command line before the contract's arguments, when the job says it (a trainer's code
 *                   checked out from git); null for the trainer's configured command
 * @param directory  where the command runs (the checkout), or null for the output's parent
 * @param timeout    how long the trainer may still run (what is left of the job's timeout), or null; the
 *                   kubernetes runner makes it the Job's deadline
 */
public record TrainingRequest(String jobId, String trainer, String datasetUri, Path output, String paramsJson,
                              Instant trainedAt, Consumer<String> log, List<String> command, Path directory, Duration timeout) {

    public TrainingRequest(String jobId, String trainer, String datasetUri, Path output, String paramsJson, Instant trainedAt,
                           Consumer<String> log) {
        this(jobId, trainer, datasetUri, output, paramsJson, trainedAt, log, null, null, null);
    }
}
