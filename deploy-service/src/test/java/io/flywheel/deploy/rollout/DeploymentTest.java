package io.flywheel.deploy.rollout;

import io.flywheel.deploy.ConflictException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rollout state machine on its own: promotion, canary steps, shadow, rollback. */
class DeploymentTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final CanaryPolicy POLICY = new CanaryPolicy(List.of(10, 50, 100), Duration.ofMinutes(1), 10);

    private static Deployment serving(int version) {
        return Deployment.empty("churn", "production").promote(version, Strategy.REPLACE, null, 0, "p0", T0).after();
    }

    @Test
    void replaceTakesAllTrafficAndRemembersThePreviousVersion() {
        Transition first = Deployment.empty("churn", "production").promote(1, Strategy.REPLACE, null, 0, "p1", T0);
        assertThat(first.action()).isEqualTo(Transition.PROMOTED);
        assertThat(first.after().live()).containsExactly(new Live(1, 100, Live.PRIMARY));
        assertThat(first.after().revision()).isEqualTo(1);
        assertThat(first.primaryChanged()).isTrue();

        Transition second = first.after().promote(2, Strategy.REPLACE, null, 0, "p2", T0.plusSeconds(1));
        assertThat(second.after().primary()).isEqualTo(2);
        assertThat(second.after().previous()).containsExactly(1);
        assertThat(second.after().revision()).isEqualTo(2);
    }

    @Test
    void aCanarySplitsTrafficAndStepsUpToCompletion() {
        Transition started = serving(1).promote(2, Strategy.CANARY, POLICY, 7, "p2", T0);
        assertThat(started.action()).isEqualTo(Transition.CANARY_STARTED);
        Deployment d = started.after();
        assertThat(d.live()).containsExactly(new Live(1, 90, Live.PRIMARY), new Live(2, 10, Live.CANARY));
        assertThat(d.candidate().stepSamplesAtStart()).isEqualTo(7);
        assertThat(d.status()).isEqualTo("canary");
        assertThat(started.primaryChanged()).isFalse();

        Instant later = T0.plusSeconds(60);
        CanaryDecision advance = d.candidate().policy().decide(0, d.candidate().stepStartedAt(), 10, false, later);
        Transition advanced = d.advance(advance, 17, later).orElseThrow();
        assertThat(advanced.action()).isEqualTo(Transition.CANARY_ADVANCED);
        assertThat(advanced.after().live()).containsExactly(new Live(1, 50, Live.PRIMARY), new Live(2, 50, Live.CANARY));
        assertThat(advanced.after().candidate().stepStartedAt()).isEqualTo(later);
        assertThat(advanced.after().candidate().stepSamplesAtStart()).isEqualTo(17);

        Instant end = later.plusSeconds(60);
        Deployment half = advanced.after();
        Transition completed = half.advance(half.candidate().policy().decide(1, later, 10, false, end), 27, end).orElseThrow();
        assertThat(completed.action()).isEqualTo(Transition.CANARY_COMPLETED);
        assertThat(completed.after().live()).containsExactly(new Live(2, 100, Live.PRIMARY));
        assertThat(completed.after().previous()).containsExactly(1);
        assertThat(completed.primaryChanged()).isTrue();
    }

    @Test
    void aHoldChangesNothing() {
        Deployment d = serving(1).promote(2, Strategy.CANARY, POLICY, 0, "p2", T0).after();
        assertThat(d.advance(new CanaryDecision.Hold("wait", Map.of()), 0, T0)).isEmpty();
    }

    /** What a restart reads back (the stored step, its start and baseline) decides exactly as before the restart. */
    @Test
    void aRestoredCanaryDecidesFromItsRecordedStep() {
        Deployment running = serving(1).promote(2, Strategy.CANARY, POLICY, 0, "p2", T0).after();
        Deployment atHalf = running.advance(new CanaryDecision.Advance(1, 50, Map.of()), 40, T0.plusSeconds(60)).orElseThrow().after();
        Deployment.Candidate c = atHalf.candidate();
        Deployment restored = new Deployment(atHalf.model(), atHalf.environment(), atHalf.primary(), atHalf.primarySince(),
                new Deployment.Candidate(c.version(), c.strategy(), c.step(), new CanaryPolicy(c.policy().steps(),
                        c.policy().minHold(), c.policy().minSamples()), c.since(), c.stepStartedAt(), c.stepSamplesAtStart(),
                        c.promotionId()), atHalf.previous(), atHalf.revision());
        assertThat(restored).isEqualTo(atHalf);
        assertThat(restored.candidate().percent()).isEqualTo(50);
        CanaryDecision d = restored.candidate().policy().decide(restored.candidate().step(), restored.candidate().stepStartedAt(),
                55 - restored.candidate().stepSamplesAtStart(), false, T0.plusSeconds(180));
        assertThat(d).isInstanceOf(CanaryDecision.Complete.class);
    }

    @Test
    void aSecondRolloutWhileOneRunsIsAConflict() {
        Deployment canary = serving(1).promote(2, Strategy.CANARY, POLICY, 0, "p2", T0).after();
        assertThatThrownBy(() -> canary.promote(3, Strategy.REPLACE, null, 0, "p3", T0))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("a canary of version 2 is in progress in 'production'");
        assertThatThrownBy(() -> serving(1).promote(1, Strategy.REPLACE, null, 0, "p", T0))
                .isInstanceOf(ConflictException.class).hasMessageContaining("already serves all traffic");
    }

    @Test
    void aShadowSeesTrafficWithoutAShareAndCanBeTakenOver() {
        Transition shadow = serving(1).promote(2, Strategy.SHADOW, null, 0, "p2", T0);
        assertThat(shadow.action()).isEqualTo(Transition.SHADOW_STARTED);
        assertThat(shadow.after().live()).containsExactly(new Live(1, 100, Live.PRIMARY), new Live(2, 0, Live.SHADOW));

        Transition promoted = shadow.after().promote(2, Strategy.REPLACE, null, 0, "p3", T0);
        assertThat(promoted.after().live()).containsExactly(new Live(2, 100, Live.PRIMARY));

        Transition canary = shadow.after().promote(2, Strategy.CANARY, POLICY, 0, "p4", T0);
        assertThat(canary.after().live()).containsExactly(new Live(1, 90, Live.PRIMARY), new Live(2, 10, Live.CANARY));

        assertThatThrownBy(() -> Deployment.empty("churn", "staging").promote(1, Strategy.SHADOW, null, 0, "p", T0))
                .isInstanceOf(ConflictException.class).hasMessageContaining("a shadow needs a primary version");
    }

    @Test
    void aCanaryOnAnEmptyEnvironmentTakesAllTraffic() {
        Transition t = Deployment.empty("churn", "staging").promote(1, Strategy.CANARY, POLICY, 0, "p", T0);
        assertThat(t.action()).isEqualTo(Transition.PROMOTED);
        assertThat(t.after().live()).containsExactly(new Live(1, 100, Live.PRIMARY));
    }

    @Test
    void rollbackRemovesTheCandidateFirstThenReturnsToThePreviousVersionsOneByOne() {
        Deployment three = serving(1).promote(2, Strategy.REPLACE, null, 0, "a", T0).after()
                .promote(3, Strategy.REPLACE, null, 0, "b", T0).after();
        Deployment canary = three.promote(4, Strategy.CANARY, POLICY, 0, "c", T0).after();

        Transition first = canary.rollback(T0);
        assertThat(first.action()).isEqualTo(Transition.ROLLED_BACK);
        assertThat(first.version()).isEqualTo(4);
        assertThat(first.after().live()).containsExactly(new Live(3, 100, Live.PRIMARY));
        assertThat(first.primaryChanged()).isFalse();

        Transition second = first.after().rollback(T0);
        assertThat(second.after().live()).containsExactly(new Live(2, 100, Live.PRIMARY));
        assertThat(second.primaryChanged()).isTrue();
        Transition third = second.after().rollback(T0);
        assertThat(third.after().primary()).isEqualTo(1);
        assertThatThrownBy(() -> third.after().rollback(T0)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("nothing to roll back to");
    }

    @Test
    void anAutomaticRollbackTouchesTheDegradedVersionOnly() {
        Deployment canary = serving(1).promote(2, Strategy.REPLACE, null, 0, "a", T0).after()
                .promote(3, Strategy.CANARY, POLICY, 0, "b", T0).after();
        assertThat(canary.rollbackVersion(1, true, T0)).isEmpty();
        assertThat(canary.rollbackVersion(3, false, T0).orElseThrow().after().live()).containsExactly(new Live(2, 100, Live.PRIMARY));

        Deployment stable = serving(1).promote(2, Strategy.REPLACE, null, 0, "a", T0).after();
        assertThat(stable.rollbackVersion(2, false, T0)).as("the primary only by policy").isEmpty();
        assertThat(stable.rollbackVersion(2, true, T0).orElseThrow().after().primary()).isEqualTo(1);
    }

    @Test
    void theRollbackHistoryIsBounded() {
        Deployment d = serving(1);
        for (int v = 2; v < 40; v++) {
            d = d.promote(v, Strategy.REPLACE, null, 0, "p" + v, T0).after();
        }
        assertThat(d.previous()).hasSize(Deployment.MAX_PREVIOUS).startsWith(38, 37);
    }
}
