package io.flywheel.deploy.prompt;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PromptSplitTest {

    @Test
    void aSessionAlwaysGetsTheSameVersion() {
        for (int i = 0; i < 1000; i++) {
            String session = "session-" + i;
            boolean first = PromptSplit.toCandidate("p", "answer", session, 20, true);
            assertThat(PromptSplit.toCandidate("p", "answer", session, 20, true)).isEqualTo(first);
        }
    }

    @Test
    void theCandidateGetsItsShareOfSessions() {
        long candidate = IntStream.range(0, 20_000).filter(i -> PromptSplit.toCandidate("p", "answer", "s-" + i, 20, true)).count();
        assertThat(candidate / 20_000.0).isBetween(0.18, 0.22);
    }

    @Test
    void aSessionOnTheCandidateStaysThereWhenTheShareGrows() {
        IntStream.range(0, 2000).mapToObj(i -> "s-" + i).filter(s -> PromptSplit.toCandidate("p", "answer", s, 10, true))
                .forEach(s -> assertThat(PromptSplit.toCandidate("p", "answer", s, 50, true)).isTrue());
    }

    @Test
    void beforeTheCanaryLabelIsInTheRegistryEverySessionGetsTheBaseline() {
        assertThat(IntStream.range(0, 2000).filter(i -> PromptSplit.toCandidate("p", "answer", "s-" + i, 99, true)).count())
                .isGreaterThan(1900);
        assertThat(IntStream.range(0, 2000).filter(i -> PromptSplit.toCandidate("p", "answer", "s-" + i, 99, false))).isEmpty();
    }

    @Test
    void noSessionGetsTheBaseline() {
        assertThat(PromptSplit.toCandidate("p", "answer", null, 99, true)).isFalse();
        assertThat(PromptSplit.toCandidate("p", "answer", "", 99, true)).isFalse();
    }

    @Test
    void promptsAndProjectsSplitIndependently() {
        long same = IntStream.range(0, 5000).mapToObj(i -> "s-" + i)
                .filter(s -> PromptSplit.toCandidate("p", "answer", s, 20, true) && PromptSplit.toCandidate("q", "answer", s, 20, true)).count();
        assertThat(same / 5000.0).isBetween(0.02, 0.07); // about 20% of 20%, not 20%
    }
}
