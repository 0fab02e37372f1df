package io.flywheel.retrain.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ReapingTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofHours(1);

    private static Reaping.Lease lease(JobState state, int attempt, Instant expires, boolean cancel) {
        return new Reaping.Lease(state, "host/abc", attempt, expires, NOW.minusSeconds(60), cancel);
    }

    @Test
    void aLiveLeaseIsLeftAlone() {
        assertThat(Reaping.decide(lease(JobState.TRAINING, 1, NOW.plusSeconds(5), false), NOW, 3, TIMEOUT)).isEmpty();
        assertThat(Reaping.decide(lease(JobState.PENDING, 1, null, false), NOW, 3, TIMEOUT)).isEmpty();
        assertThat(Reaping.decide(lease(JobState.FAILED, 1, null, false), NOW, 3, TIMEOUT)).isEmpty();
    }

    @Test
    void aDeadWorkersJobIsTriedAgainWhileAttemptsRemainThenFailed() {
        var again = Reaping.decide(lease(JobState.TRAINING, 2, NOW.minusSeconds(1), false), NOW, 3, TIMEOUT).orElseThrow();
        assertThat(again.action()).isEqualTo(Reaping.Action.REQUEUE);
        assertThat(again.reason()).contains("worker host/abc stopped renewing its lease while the job was training")
                .contains("attempt 3 of 3");
        var fail = Reaping.decide(lease(JobState.EVALUATING, 3, NOW, false), NOW, 3, TIMEOUT).orElseThrow();
        assertThat(fail.action()).isEqualTo(Reaping.Action.FAIL);
        assertThat(fail.reason()).contains("all 3 attempts are used");
    }

    @Test
    void aCancelRequestedOnADeadWorkersJobCancelsIt() {
        var cancel = Reaping.decide(lease(JobState.REGISTERING, 1, NOW.minusSeconds(10), true), NOW, 3, TIMEOUT).orElseThrow();
        assertThat(cancel.action()).isEqualTo(Reaping.Action.CANCEL);
    }

    @Test
    void anAttemptPastTheTimeoutFailsEvenWithALiveLease() {
        var lease = new Reaping.Lease(JobState.TRAINING, "w", 1, NOW.plusSeconds(30), NOW.minus(Duration.ofHours(2)), false);
        var decision = Reaping.decide(lease, NOW, 3, TIMEOUT).orElseThrow();
        assertThat(decision.action()).isEqualTo(Reaping.Action.FAIL);
        assertThat(decision.reason()).startsWith("timed out");
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        Duration initial = Duration.ofSeconds(30);
        Duration max = Duration.ofMinutes(10);
        assertThat(Reaping.backoff(1, initial, max)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Reaping.backoff(2, initial, max)).isEqualTo(Duration.ofSeconds(60));
        assertThat(Reaping.backoff(3, initial, max)).isEqualTo(Duration.ofSeconds(120));
        assertThat(Reaping.backoff(20, initial, max)).isEqualTo(max);
    }
}
