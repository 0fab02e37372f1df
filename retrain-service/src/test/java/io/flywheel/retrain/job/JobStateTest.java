package io.flywheel.retrain.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobStateTest {

    @Test
    void theHappyPathRunsThroughEveryStep() {
        JobState[] path = {JobState.PENDING, JobState.PREPARING_DATA, JobState.TRAINING, JobState.EVALUATING,
                JobState.TESTING, JobState.REGISTERING, JobState.PROMOTION_REQUESTED};
        for (int i = 0; i + 1 < path.length; i++) {
            assertThat(path[i].canMoveTo(path[i + 1])).as(path[i] + " -> " + path[i + 1]).isTrue();
        }
        assertThat(JobState.PROMOTION_REQUESTED.terminal()).isTrue();
    }

    @Test
    void modelTestsAreOptionalAndAFailingOneRejectsTheCandidateBeforeRegistration() {
        assertThat(JobState.EVALUATING.canMoveTo(JobState.REGISTERING)).as("no model tests declared").isTrue();
        assertThat(JobState.TESTING.canMoveTo(JobState.REJECTED)).isTrue();
        assertThat(JobState.TESTING.running()).isTrue();
        assertThat(JobState.TESTING.canMoveTo(JobState.PROMOTION_REQUESTED)).isFalse();
        assertThat(JobState.TRAINING.canMoveTo(JobState.TESTING)).isFalse();
        assertThat(JobState.of("testing")).isEqualTo(JobState.TESTING);
    }

    @Test
    void aLosingCandidateIsRejectedAfterEvaluationOrAfterRegistration() {
        assertThat(JobState.EVALUATING.canMoveTo(JobState.REJECTED)).isTrue();
        assertThat(JobState.REGISTERING.canMoveTo(JobState.REJECTED)).isTrue();
        assertThat(JobState.TRAINING.canMoveTo(JobState.REJECTED)).isFalse();
    }

    @Test
    void everyStepCanFailBeCancelledOrGoBackToPendingWhenItsWorkerDies() {
        for (JobState state : JobState.runningStates()) {
            assertThat(state.canMoveTo(JobState.FAILED)).as(state.id()).isTrue();
            assertThat(state.canMoveTo(JobState.CANCELLED)).as(state.id()).isTrue();
            assertThat(state.canMoveTo(JobState.PENDING)).as(state.id()).isTrue();
        }
        assertThat(JobState.PENDING.canMoveTo(JobState.CANCELLED)).isTrue();
    }

    @Test
    void endedJobsNeverMoveAgainAndStepsAreNotSkipped() {
        for (JobState end : new JobState[]{JobState.PROMOTION_REQUESTED, JobState.REJECTED, JobState.FAILED, JobState.CANCELLED}) {
            assertThat(end.terminal()).isTrue();
            assertThat(end.running()).isFalse();
            for (JobState any : JobState.values()) {
                assertThat(end.canMoveTo(any)).isFalse();
            }
        }
        assertThat(JobState.PENDING.canMoveTo(JobState.TRAINING)).isFalse();
        assertThat(JobState.PREPARING_DATA.canMoveTo(JobState.REGISTERING)).isFalse();
        assertThatThrownBy(() -> JobState.FAILED.requireMoveTo(JobState.PENDING))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("from failed to pending");
    }

    @Test
    void statesHaveApiNames() {
        assertThat(JobState.of("preparing-data")).isEqualTo(JobState.PREPARING_DATA);
        assertThat(JobState.PROMOTION_REQUESTED.id()).isEqualTo("promotion-requested");
        assertThat(JobState.PENDING.running()).isFalse();
        assertThat(JobState.TRAINING.running()).isTrue();
        assertThatThrownBy(() -> JobState.of("done")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pending, preparing-data, training");
    }
}
