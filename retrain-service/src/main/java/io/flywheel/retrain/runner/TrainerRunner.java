package io.flywheel.retrain.runner;

/**
 * Starts trainers. The in-process runner (a bounded pool in this JVM), the local-process runner (a
 * separate JVM per run) and the kubernetes runner (a Job per run, when configured) implement it: each
 * receives the same request (dataset URI, output prefix, parameters) and reports the same result (exit code).
 */
public interface TrainerRunner {

    /** The name a policy's {@code trainer.runner} selects: {@code in-process}, {@code local-process}, {@code kubernetes} */
    String name();

    /**
     * Starts the run and returns at once. Throws {@link RunnerBusyException} when the runner has no
     * capacity now (the job is tried again later), IllegalArgumentException for a trainer it can't run.
     */
    TrainingRun start(TrainingRequest request);
}
