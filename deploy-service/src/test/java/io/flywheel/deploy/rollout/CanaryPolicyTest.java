package io.flywheel.deploy.rollout;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanaryPolicyTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private final CanaryPolicy policy = new CanaryPolicy(List.of(10, 50, 100), Duration.ofMinutes(5), 100);

    @Test
    void holdsUntilTheMinimumTimeHasPassed() {
        CanaryDecision d = policy.decide(0, T0, 500, false, T0.plusSeconds(299));
        assertThat(d).isInstanceOf(CanaryDecision.Hold.class);
        assertThat(((CanaryDecision.Hold) d).reason()).contains("held 299.0 s of 300.0 s");
    }

    @Test
    void holdsUntilTheCandidateServedEnoughPredictions() {
        CanaryDecision d = policy.decide(0, T0, 99, false, T0.plusSeconds(600));
        assertThat(d).isInstanceOf(CanaryDecision.Hold.class);
        assertThat(((CanaryDecision.Hold) d).reason()).contains("served 99 of 100 predictions");
    }

    @Test
    void holdsWhileTheMonitorReportsTheCandidateDegraded() {
        CanaryDecision d = policy.decide(0, T0, 1000, true, T0.plusSeconds(600));
        assertThat(d).isInstanceOf(CanaryDecision.Hold.class);
        assertThat(((CanaryDecision.Hold) d).reason()).contains("degraded");
    }

    @Test
    void advancesStepByStepThenCompletesAtTheLastStep() {
        CanaryDecision first = policy.decide(0, T0, 100, false, T0.plusSeconds(300));
        assertThat(first).isEqualTo(new CanaryDecision.Advance(1, 50, first.evidence()));
        assertThat(first.evidence()).containsEntry("samples", 100L).containsEntry("percent", 10);

        CanaryDecision second = policy.decide(1, T0, 100, false, T0.plusSeconds(300));
        assertThat(second).isInstanceOf(CanaryDecision.Complete.class);
    }

    @Test
    void aSingleStepCanaryCompletesOnceHeld() {
        CanaryPolicy once = new CanaryPolicy(List.of(100), Duration.ZERO, 0);
        assertThat(once.decide(0, T0, 0, false, T0)).isInstanceOf(CanaryDecision.Complete.class);
    }

    @Test
    void refusesStepsThatDoNotClimbToAHundred() {
        assertThatThrownBy(() -> new CanaryPolicy(List.of(10, 50), Duration.ZERO, 0)).hasMessageContaining("last canary step must be 100");
        assertThatThrownBy(() -> new CanaryPolicy(List.of(50, 10, 100), Duration.ZERO, 0)).hasMessageContaining("must increase");
        assertThatThrownBy(() -> new CanaryPolicy(List.of(0, 100), Duration.ZERO, 0)).hasMessageContaining("from 1 to 100");
        assertThatThrownBy(() -> new CanaryPolicy(List.of(), Duration.ZERO, 0)).hasMessageContaining("required");
        assertThatThrownBy(() -> new CanaryPolicy(List.of(100), Duration.ofSeconds(-1), 0)).hasMessageContaining("zero or more");
    }
}
