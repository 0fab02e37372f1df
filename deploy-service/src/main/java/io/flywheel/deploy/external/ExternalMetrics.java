package io.flywheel.deploy.external;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one external endpoint reports about its calls, as hooks the service binds to Micrometer
 * (suggested names: {@code deploy.external.latency} timer, {@code deploy.external.errors} by
 * reason, {@code deploy.external.breaker.state} gauge 0/1/2, {@code deploy.external.ready} gauge
 * 0/1, tagged with model and version). Plain Java so the client is tested without a registry.
 */
public interface ExternalMetrics {

    /** A call that got a v2 answer (HTTP 200), with its round-trip time. */
    void answered(long nanos);

    /** A call that did not; {@code nanos} is 0 when nothing was sent (breaker open, not callable). */
    void failed(ExternalCallException.Kind kind, long nanos);

    /** The breaker moved. */
    void breaker(CircuitBreaker.State state);

    /** The result of a readiness probe of {@code <url>/ready}. */
    void ready(boolean ready);

    /** Reports nothing. */
    ExternalMetrics NONE = new ExternalMetrics() {
        @Override
        public void answered(long nanos) {
        }

        @Override
        public void failed(ExternalCallException.Kind kind, long nanos) {
        }

        @Override
        public void breaker(CircuitBreaker.State state) {
        }

        @Override
        public void ready(boolean ready) {
        }
    };

    /** Counts in memory: for tests, and for a service that reads the figures itself. */
    final class Counting implements ExternalMetrics {
        private final LongAdder answered = new LongAdder();
        private final LongAdder answeredNanos = new LongAdder();
        private final Map<ExternalCallException.Kind, LongAdder> failed = new EnumMap<>(ExternalCallException.Kind.class);
        private final AtomicInteger breaker = new AtomicInteger();
        private final AtomicInteger ready = new AtomicInteger(-1);

        public Counting() {
            for (ExternalCallException.Kind k : ExternalCallException.Kind.values()) {
                failed.put(k, new LongAdder());
            }
        }

        @Override
        public void answered(long nanos) {
            answered.increment();
            answeredNanos.add(nanos);
        }

        @Override
        public void failed(ExternalCallException.Kind kind, long nanos) {
            failed.get(kind).increment();
        }

        @Override
        public void breaker(CircuitBreaker.State state) {
            breaker.set(state.level());
        }

        @Override
        public void ready(boolean isReady) {
            ready.set(isReady ? 1 : 0);
        }

        public long answered() {
            return answered.sum();
        }

        public long failed(ExternalCallException.Kind kind) {
            return failed.get(kind).sum();
        }

        /** 0 closed, 1 half-open, 2 open. */
        public int breakerLevel() {
            return breaker.get();
        }

        /** 1 ready, 0 not, -1 never probed. */
        public int readyLevel() {
            return ready.get();
        }
    }
}
