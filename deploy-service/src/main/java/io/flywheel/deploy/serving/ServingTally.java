package io.flywheel.deploy.serving;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.atomic.LongAdder;

/**
 * Requests, failures and latencies one version served in one environment on this replica, since it
 * started: cheap on the request path (adders and a lock-free histogram). The canary judge takes a
 * {@link Snapshot} when a step begins and judges what came after it.
 */
public final class ServingTally {

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    /** Microseconds, three significant digits, growing as needed. */
    private final ConcurrentHistogram micros = new ConcurrentHistogram(3);

    void answered(long nanos) {
        requests.increment();
        micros.recordValue(Math.max(0, nanos / 1000));
    }

    void failed() {
        requests.increment();
        errors.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(requests.sum(), errors.sum(), micros.copy());
    }

    /** Counts and latencies at one moment; {@link #since} gives what happened between two. */
    public record Snapshot(long requests, long errors, Histogram latencyMicros) {

        public static final Snapshot EMPTY = new Snapshot(0, 0, new Histogram(3));

        public Snapshot since(Snapshot earlier) {
            Histogram delta = latencyMicros.copy();
            delta.subtract(earlier.latencyMicros);
            return new Snapshot(requests - earlier.requests, errors - earlier.errors, delta);
        }

        /** The 99th percentile of the answered requests' latency in milliseconds, null when none was answered. */
        public Double p99Millis() {
            return latencyMicros.getTotalCount() == 0 ? null : latencyMicros.getValueAtPercentile(99) / 1000.0;
        }
    }
}
