package io.flywheel.deploy.rollout;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficSplitTest {

    @Test
    void theSameKeyAlwaysLandsInTheSameBucket() {
        int first = TrafficSplit.bucket("churn", "user-42");
        for (int i = 0; i < 100; i++) {
            assertThat(TrafficSplit.bucket("churn", "user-42")).isEqualTo(first);
        }
        assertThat(first).isBetween(0, TrafficSplit.BUCKETS - 1);
    }

    /** Pinned values: the split must not change between releases or JVMs, or users would hop versions. */
    @Test
    void bucketsAreStableAcrossReleases() {
        assertThat(TrafficSplit.bucket("churn", "user-42")).isEqualTo(PINNED_USER_42);
        assertThat(TrafficSplit.bucket("churn", "")).isEqualTo(PINNED_EMPTY);
        assertThat(TrafficSplit.bucket("fraud", "user-42")).isEqualTo(PINNED_FRAUD_USER_42);
    }

    // computed once from the implementation and frozen here
    private static final int PINNED_USER_42 = 5976;
    private static final int PINNED_EMPTY = 1519;
    private static final int PINNED_FRAUD_USER_42 = 8262;

    @Test
    void sharesMatchThePercentagesWithinAPercent() {
        for (int percent : new int[]{1, 10, 50, 90}) {
            int n = 100_000;
            int toCandidate = 0;
            for (int i = 0; i < n; i++) {
                if (TrafficSplit.toCandidate("churn", "req-" + i, percent)) {
                    toCandidate++;
                }
            }
            assertThat(100.0 * toCandidate / n).as("share at %d%%", percent).isCloseTo(percent, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void aKeyOnTheCanaryStaysOnItWhenTheCanaryGrows() {
        for (int i = 0; i < 10_000; i++) {
            String key = "user-" + i;
            if (TrafficSplit.toCandidate("churn", key, 10)) {
                assertThat(TrafficSplit.toCandidate("churn", key, 50)).isTrue();
            }
            if (TrafficSplit.toCandidate("churn", key, 50)) {
                assertThat(TrafficSplit.toCandidate("churn", key, 90)).isTrue();
            }
        }
    }

    @Test
    void zeroAndAHundredPercentAreAbsolute() {
        assertThat(TrafficSplit.toCandidate("churn", "anyone", 0)).isFalse();
        assertThat(TrafficSplit.toCandidate("churn", "anyone", 100)).isTrue();
    }

    @Test
    void theModelSaltsTheSplit() {
        int same = 0;
        for (int i = 0; i < 10_000; i++) {
            String key = "user-" + i;
            if (TrafficSplit.toCandidate("churn", key, 10) && TrafficSplit.toCandidate("fraud", key, 10)) {
                same++;
            }
        }
        // independent 10% splits overlap on about 1% of keys, not 10%
        assertThat(same).isBetween(50, 200);
    }
}
