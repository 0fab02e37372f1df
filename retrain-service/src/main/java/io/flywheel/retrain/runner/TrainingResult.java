package io.flywheel.retrain.runner;

/**
 * How a trainer ended: exit code 0 with the artifact and metrics under the output prefix; 2 for bad
 * parameters or data (trying again won't help); anything else a failure. {@code error} is the
 * trainer's last word on why.
 */
public record TrainingResult(int exitCode, String error, boolean cancelled) {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    public boolean succeeded() {
        return exitCode == OK && !cancelled;
    }

    public static TrainingResult ok() {
        return new TrainingResult(OK, null, false);
    }

    public static TrainingResult cancelledRun() {
        return new TrainingResult(FAILED, "cancelled", true);
    }
}
