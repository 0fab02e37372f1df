package io.flywheel.retrain.runner;

import java.util.concurrent.CompletableFuture;

/** A trainer that was started: its end, and a way to stop it early. */
public interface TrainingRun {

    /** Completes with the result (never exceptionally: failures are results with an exit code). */
    CompletableFuture<TrainingResult> result();

    /** Asks the trainer to stop; the result then completes as cancelled. Safe to call more than once. */
    void cancel();
}
