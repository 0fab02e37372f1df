package io.flywheel.deploy.prompt;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PromptSplitTest {

    @Test
    void aSessionAlwaysGetsTheSameVersion() {
        for (int i = 0; i < 1000; i++) {
            String session = "session-" + i;
            boolean first = PromptSplit.toCandidate("p", "answer", session, 20);
            assertThat(PromptSplit.toCandidate("p", "answer", session, 20)).isEqualTo(first);
        }
    }

    @Test
    void theCandidateGetsItsShareOfSessions() {
        long candidate = IntStream.range(0, 20_000).filter(i -> PromptSplit.toCandidate("p", "answer", "s-" + i, 20)).count();
        assertThat(candidate / 20_000.0).isBetween(0.18, 0.22);
    }

    @Test
    void aSessionOnTheCandidateStaysThereWhenTheShareGrows() {
        IntStream.range(0, 2000).mapToObj(i -> "s-" + i).filter(s -> PromptSplit.toCandidate("p", "answer", s, 10))
                .forEach(s -> assertThat(PromptSplit.toCandidate("p", "answer", s, 50)).isTrue());
    }

    @Test
    void noSessionGetsTheBaseline() {
        assertThat(PromptSplit.toCandidate("p", "answer", null, 99)).isFalse();
        assertThat(PromptSplit.toCandidate("p", "answer", "", 99)).isFalse();
    }

    @Test
    void promptsAndProjectsSplitIndependently() {
        long same = IntStream.range(0, 5000).mapToObj(i -> "s-" + i)
                .filter(s -> PromptSplit.toCandidate("p", "answer", s, 20) && PromptSplit.toCandidate("q", "answer", s, 20)).count();
        assertThat(same / 5000.0).isBetween(0.02, 0.07); // about 20% of 20%, not 20%
    }
}
