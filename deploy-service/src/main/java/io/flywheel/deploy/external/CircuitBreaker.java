package io.flywheel.deploy.external;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A circuit breaker for one external endpoint, so that an endpoint that is down costs its callers
 * an immediate 503 instead of a timeout each, and gets room to recover.
 *
 * <ul>
 *   <li><b>closed</b>: calls go through. It opens after {@code consecutiveFailures} failures in a row,
 *       or when at least {@code failureRatio} of the last {@code window} calls failed (judged once
 *       the window is full, so the first failures after a start don't trip it on a ratio of 1/1).</li>
 *   <li><b>open</b>: calls are refused without touching the network, for {@code openFor}.</li>
 *   <li><b>half-open</b>: after {@code openFor}, one call at a time is let through as a probe;
 *       {@code probes} successes in a row close the breaker (and clear its window), one failure
 *       opens it again for another {@code openFor}.</li>
 * </ul>
 *
 * <p>Each permitted call holds a {@link Permit} and reports its outcome on it once. An outcome of
 * a call that was let through before the breaker last changed state is ignored for the state (a
 * slow call admitted while closed can't close a breaker that opened meanwhile, nor re-open one
 * that a probe just closed). Failure means the endpoint's fault (timeout, connection refused, 5xx);
 * the caller's bad input is a success for the breaker.
 *
 * <p>Thread-safe: the state is guarded by this object's monitor, held for a few field updates.
 * Time comes from {@code nanoClock} ({@link System#nanoTime} outside tests).
 * {@link #listener} hears every change of state (metrics, logs).
 */
public final class CircuitBreaker {

    public enum State {
        CLOSED, OPEN, HALF_OPEN;

        /** As gauges and logs show it: 0 closed, 1 half-open, 2 open. */
        public int level() {
            return switch (this) {
                case CLOSED -> 0;
                case HALF_OPEN -> 1;
                case OPEN -> 2;
            };
        }
    }

    /** The breaker's settings; see the class comment. */
    public record Settings(int consecutiveFailures, double failureRatio, int window, Duration openFor, int probes) {
        public Settings {
            if (consecutiveFailures < 1 || window < 1 || probes < 1) {
                throw new IllegalArgumentException("consecutive-failures, window and probes must be at least 1");
            }
            if (!(failureRatio > 0 && failureRatio <= 1)) {
                throw new IllegalArgumentException("failure-ratio must be in (0, 1]");
            }
            if (openFor.isNegative() || openFor.isZero()) {
                throw new IllegalArgumentException("open-for must be positive");
            }
        }

        public static Settings defaults() {
            return new Settings(5, 0.5, 20, Duration.ofSeconds(10), 1);
        }
    }

    /** Hears the changes of state. */
    @FunctionalInterface
    public interface Listener {
        void changed(State from, State to);

        Listener NONE = (from, to) -> {
        };
    }

    /** A call let through; report its outcome once. */
    public final class Permit {
        private final long generation;
        private final boolean probe;
        private boolean reported;

        private Permit(long generation, boolean probe) {
            this.generation = generation;
            this.probe = probe;
        }

        public void success() {
            report(true);
        }

        public void failure() {
            report(false);
        }

        private void report(boolean ok) {
            synchronized (CircuitBreaker.this) {
                if (reported) {
                    return;
                }
                reported = true;
                outcome(this, ok);
            }
        }
    }

    private final Settings settings;
    private final LongSupplier nanoClock;
    private final Listener listener;

    // guarded by this
    private State state = State.CLOSED;
    private long generation;
    private long openedAt;
    private boolean probeInFlight;
    private int probeSuccesses;
    private int consecutive;
    private final boolean[] outcomes;
    private int next;
    private int recorded;
    private int failuresInWindow;

    public CircuitBreaker(Settings settings, LongSupplier nanoClock, Listener listener) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.listener = listener == null ? Listener.NONE : listener;
        this.outcomes = new boolean[settings.window()];
    }

    public CircuitBreaker(Settings settings) {
        this(settings, System::nanoTime, Listener.NONE);
    }

    /** A permit for one call, or null when the breaker refuses it (open, or a probe already under way). */
    public Permit tryAcquire() {
        State from;
        Permit permit;
        synchronized (this) {
            from = state;
            switch (state) {
                case CLOSED -> {
                    return new Permit(generation, false);
                }
                case OPEN -> {
                    if (nanoClock.getAsLong() - openedAt < settings.openFor().toNanos()) {
                        return null;
                    }
                    move(State.HALF_OPEN);
                    probeSuccesses = 0;
                    probeInFlight = true;
                    permit = new Permit(generation, true);
                }
                default -> {
                    if (probeInFlight) {
                        return null;
                    }
                    probeInFlight = true;
                    permit = new Permit(generation, true);
                }
            }
        }
        if (from != State.HALF_OPEN) {
            listener.changed(from, State.HALF_OPEN);
        }
        return permit;
    }

    /** How long until an open breaker lets a probe through (zero when it is not open): a Retry-After. */
    public synchronized Duration retryAfter() {
        if (state != State.OPEN) {
            return Duration.ZERO;
        }
        long left = settings.openFor().toNanos() - (nanoClock.getAsLong() - openedAt);
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    public synchronized State state() {
        return state;
    }

    public Settings settings() {
        return settings;
    }

    // called with the monitor held (from Permit.report); the listener is told after the change, still holding it:
    // listeners only count and log
    private void outcome(Permit permit, boolean ok) {
        if (permit.generation != generation) {
            return;
        }
        State before = state;
        if (permit.probe) {
            probeInFlight = false;
            if (!ok) {
                open();
            } else if (++probeSuccesses >= settings.probes()) {
                close();
            }
        } else if (state == State.CLOSED) {
            record(ok);
            if (!ok && (consecutive >= settings.consecutiveFailures()
                    || recorded == outcomes.length && failuresInWindow >= settings.failureRatio() * outcomes.length)) {
                open();
            }
        }
        if (state != before) {
            listener.changed(before, state);
        }
    }

    private void record(boolean ok) {
        consecutive = ok ? 0 : consecutive + 1;
        if (recorded == outcomes.length) {
            if (!outcomes[next]) {
                failuresInWindow--;
            }
        } else {
            recorded++;
        }
        outcomes[next] = ok;
        if (!ok) {
            failuresInWindow++;
        }
        next = (next + 1) % outcomes.length;
    }

    private void open() {
        move(State.OPEN);
        openedAt = nanoClock.getAsLong();
    }

    private void close() {
        move(State.CLOSED);
        consecutive = 0;
        recorded = 0;
        next = 0;
        failuresInWindow = 0;
    }

    private void move(State to) {
        state = to;
        generation++;
    }
}
