package io.flywheel.retrain.runner;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;

import java.util.List;
import java.util.Optional;

/**
 * A training Job's status as the trainer contract's result (plain logic): the {@code Complete}
 * condition (or a succeeded pod) is exit code 0; the {@code Failed} condition is a failure whose error
 * says why (the deadline, the trainer's exit code and last log line when its pod could be read); anything
 * else is still running.
 */
public final class JobOutcome {

    private JobOutcome() {
    }

    /**
     * @param exitCode    the trainer container's exit code, if its pod could be read, else null
     * @param lastLogLine the last non-blank line of its log, or null
     */
    public static Optional<TrainingResult> of(Job job, Integer exitCode, String lastLogLine) {
        JobStatus status = job.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        List<JobCondition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
        JobCondition failed = condition(conditions, "Failed");
        if (failed != null) {
            int code = exitCode != null && exitCode == TrainingResult.BAD_INPUT ? TrainingResult.BAD_INPUT : TrainingResult.FAILED;
            return Optional.of(new TrainingResult(code, failure(failed, exitCode, lastLogLine), false));
        }
        if (condition(conditions, "Complete") != null || (status.getSucceeded() != null && status.getSucceeded() > 0)) {
            return Optional.of(TrainingResult.ok());
        }
        return Optional.empty();
    }

    /** Whether the Job has ended either way. */
    public static boolean finished(Job job) {
        return of(job, null, null).isPresent();
    }

    private static String failure(JobCondition failed, Integer exitCode, String lastLogLine) {
        StringBuilder error = new StringBuilder();
        if ("DeadlineExceeded".equals(failed.getReason())) {
            error.append("the trainer ran past the Job's deadline (").append(failed.getReason()).append(')');
        } else {
            error.append("the training Job failed");
            if (failed.getReason() != null) {
                error.append(" (").append(failed.getReason()).append(')');
            }
        }
        if (failed.getMessage() != null && !failed.getMessage().isBlank()) {
            error.append(": ").append(failed.getMessage());
        }
        if (exitCode != null) {
            error.append("; the trainer exited with code ").append(exitCode);
        }
        if (lastLogLine != null) {
            error.append("; its last log line: ").append(lastLogLine);
        }
        return error.toString();
    }

    private static JobCondition condition(List<JobCondition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst().orElse(null);
    }
}
