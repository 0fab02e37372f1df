package io.flywheel.retrain.runner;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobOutcomeTest {

    private static Job job(JobStatus status) {
        return new JobBuilder().withNewMetadata().withName("retrain-1").endMetadata().withStatus(status).build();
    }

    @Test
    void completeIsExitCodeZero() {
        assertThat(JobOutcome.of(job(KubernetesTestSupport.complete()), null, null)).contains(TrainingResult.ok());
    }

    @Test
    void runningOrWithoutStatusIsNotAnEnd() {
        assertThat(JobOutcome.of(job(KubernetesTestSupport.running()), null, null)).isEmpty();
        assertThat(JobOutcome.of(job(null), null, null)).isEmpty();
    }

    @Test
    void failedSaysWhyWithTheTrainersExitCodeAndLastLine() {
        TrainingResult result = JobOutcome.of(job(KubernetesTestSupport.failed("BackoffLimitExceeded",
                "Job has reached the specified backoff limit")), 1, "ValueError: no rows").orElseThrow();

        assertThat(result.exitCode()).isEqualTo(TrainingResult.FAILED);
        assertThat(result.cancelled()).isFalse();
        assertThat(result.error()).isEqualTo("the training Job failed (BackoffLimitExceeded): Job has reached the specified "
                + "backoff limit; the trainer exited with code 1; its last log line: ValueError: no rows");
    }

    @Test
    void exitCodeTwoStaysBadInput() {
        assertThat(JobOutcome.of(job(KubernetesTestSupport.failed("BackoffLimitExceeded", null)), 2, null).orElseThrow().exitCode())
                .isEqualTo(TrainingResult.BAD_INPUT);
    }

    @Test
    void theDeadlineIsNamed() {
        assertThat(JobOutcome.of(job(KubernetesTestSupport.failed("DeadlineExceeded", "Job was active longer than specified deadline")),
                null, null).orElseThrow().error())
                .startsWith("the trainer ran past the Job's deadline (DeadlineExceeded): Job was active longer");
    }
}
