package io.flywheel.monitor.quality;

/**
 * Drift Detection Method (Gama et al., SBIA 2004), a line-by-line port of river's
 * {@code river.drift.binary.DDM} (river 0.21+), including its arithmetic order so decisions
 * match bit for bit.
 *
 * <p>Input is a stream of 0 (correct) / 1 (error). With p the running error rate over n values and
 * s = sqrt(p(1-p)/n): once n > warmStart, (p_min, s_min) is the point where p + s was lowest
 * (ties move it forward: river uses {@code <=}); WARNING when p + s > p_min + warningThreshold·s_min,
 * DRIFT when p + s > p_min + driftThreshold·s_min. After a DRIFT the next update starts from scratch.
 */
public final class Ddm implements DriftDetector<Ddm.Snapshot> {

    public record Config(int warmStart, double warningThreshold, double driftThreshold) {
        /** river's defaults. */
        public static final Config DEFAULTS = new Config(30, 2.0, 3.0);

        public Config {
            if (warmStart < 0) {
                throw new IllegalArgumentException("warmStart must not be negative, got " + warmStart);
            }
            Checks.finite("warningThreshold", warningThreshold);
            Checks.finite("driftThreshold", driftThreshold);
        }
    }

    /**
     * Persistable state. n is a double because river's running mean counts with a float weight;
     * the minima are +Infinity until the warm start is over.
     */
    public record Snapshot(Config config, double n, double errorRate, double pMin, double sMin,
                           double psMin, DriftState state) {
    }

    private final Config config;
    private double n;
    private double errorRate;
    private double pMin;
    private double sMin;
    private double psMin;
    private DriftState state;

    public Ddm() {
        this(Config.DEFAULTS);
    }

    public Ddm(Config config) {
        this.config = config;
        reset();
    }

    public static Ddm restore(Snapshot s) {
        Ddm d = new Ddm(s.config());
        d.n = s.n();
        d.errorRate = s.errorRate();
        d.pMin = s.pMin();
        d.sMin = s.sMin();
        d.psMin = s.psMin();
        d.state = s.state();
        return d;
    }

    @Override
    public void reset() {
        n = 0.0;
        errorRate = 0.0;
        pMin = Double.POSITIVE_INFINITY;
        sMin = Double.POSITIVE_INFINITY;
        psMin = Double.POSITIVE_INFINITY;
        state = DriftState.NONE;
    }

    @Override
    public DriftState update(double x) {
        if (x != 0.0 && x != 1.0) {
            throw new IllegalArgumentException("DDM takes 0 (correct) or 1 (error), got " + x);
        }
        if (state == DriftState.DRIFT) {
            reset();
        }
        // river's stats.Mean: n += w; mean += (w / n) * (x - mean)
        n += 1.0;
        errorRate += (1.0 / n) * (x - errorRate);

        double p = errorRate;
        double s = Math.sqrt(p * (1 - p) / n);
        if (n > config.warmStart()) {
            if (p + s <= psMin) {
                pMin = p;
                sMin = s;
                psMin = pMin + sMin;
            }
            // river keeps warning and drift as two flags; drift clears warning
            state = p + s > pMin + config.warningThreshold() * sMin ? DriftState.WARNING : DriftState.NONE;
            if (p + s > pMin + config.driftThreshold() * sMin) {
                state = DriftState.DRIFT;
            }
        }
        return state;
    }

    @Override
    public DriftState state() {
        return state;
    }

    /** Running error rate since the last reset. */
    public double errorRate() {
        return errorRate;
    }

    @Override
    public Snapshot snapshot() {
        return new Snapshot(config, n, errorRate, pMin, sMin, psMin, state);
    }
}
