package io.flywheel.deploy.predictionlog;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictionBufferTest {

    @Test
    void aFullBufferDropsAndCountsWithoutBlocking() throws InterruptedException {
        PredictionBuffer<Integer> buffer = new PredictionBuffer<>(3);
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            buffer.offer(i);
        }
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(buffer.accepted()).isEqualTo(3);
        assertThat(buffer.dropped()).isEqualTo(7);

        List<Integer> batch = new ArrayList<>();
        assertThat(buffer.take(batch, 2, 10, TimeUnit.MILLISECONDS)).isEqualTo(2);
        assertThat(batch).containsExactly(0, 1);
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.offer(99)).isTrue();
    }

    @Test
    void aPredictionPutBackIsSentAgainButCountedAcceptedOnce() throws InterruptedException {
        PredictionBuffer<String> buffer = new PredictionBuffer<>(2);
        buffer.offer("a");
        List<String> batch = new ArrayList<>();
        buffer.take(batch, 10, 10, TimeUnit.MILLISECONDS);
        buffer.offer("b");

        assertThat(buffer.putBack("a")).isTrue();
        assertThat(buffer.putBack("c")).as("full").isFalse();

        List<String> again = new ArrayList<>();
        assertThat(buffer.take(again, 10, 10, TimeUnit.MILLISECONDS)).isEqualTo(2);
        assertThat(again).containsExactly("b", "a");
        assertThat(buffer.accepted()).isEqualTo(2);
        assertThat(buffer.dropped()).isEqualTo(1);
    }

    @Test
    void takingFromAnEmptyBufferWaitsOnlyTheTimeout() throws InterruptedException {
        PredictionBuffer<String> buffer = new PredictionBuffer<>(1);
        assertThat(buffer.take(new ArrayList<>(), 10, 5, TimeUnit.MILLISECONDS)).isZero();
        assertThatThrownBy(() -> new PredictionBuffer<>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
