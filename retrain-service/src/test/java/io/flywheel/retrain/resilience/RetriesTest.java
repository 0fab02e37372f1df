package io.flywheel.retrain.resilience;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetriesTest {

    static final class Flaky extends RuntimeException implements TransientFailure {
        Flaky(String message) {
            super(message);
        }
    }

    private final Retries retries = new Retries(3, Duration.ofMillis(10), Duration.ofMillis(50));

    @Test
    void aTransientFailureIsRetriedUntilItPasses() {
        AtomicInteger calls = new AtomicInteger();
        String result = retries.blocking("call", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new Flaky("registry unavailable");
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void retriesAreBounded() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retries.blocking("call", () -> {
            calls.incrementAndGet();
            throw new Flaky("still down");
        })).hasMessageContaining("still down");
        assertThat(calls).hasValue(4);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retries.blocking("call", () -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("400: bad request");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).hasValue(1);
        assertThat(TransientFailure.is(new RuntimeException(new Flaky("wrapped")))).isTrue();
    }
}
