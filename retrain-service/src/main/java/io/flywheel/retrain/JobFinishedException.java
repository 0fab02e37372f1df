package io.flywheel.retrain;

/** The job has already ended (promotion-requested, rejected, failed or cancelled): a 409. */
public class JobFinishedException extends RetrainException {
    public JobFinishedException(String jobId, String state) {
        super("retrain job " + jobId + " has already ended: it is " + state);
    }
}
