package io.flywheel.monitor.quality;

/**
 * Page–Hinkley test (Page 1954), a line-by-line port of river's {@code river.drift.PageHinkley}
 * (river 0.21+), including its arithmetic order.
 *
 * <p>With x̄ the running mean (updated before use), each value adds
 * {@code dev = x − x̄} to two fading cumulative sums: up = α·up + dev − δ and
 * down = α·down + dev + δ. Once min_instances values have been seen, the test statistics are
 * up − min(up) (an increase) and max(down) − down (a decrease); DRIFT when the monitored one
 * exceeds the threshold λ. After a DRIFT the next update starts from scratch.
 *
 * <p>river's default mode is {@link Mode#BOTH} (not "up"), so that is the default here; for an
 * error or loss stream where only increases matter, use {@link Config#errorStream()}.
 */
public final class PageHinkley implements DriftDetector<PageHinkley.Snapshot> {

    public enum Mode { UP, DOWN, BOTH }

    public record Config(int minInstances, double delta, double threshold, double alpha, Mode mode) {
        /** river's defaults: min_instances=30, delta=0.005, threshold=50, alpha=1-0.0001, mode="both". */
        public static final Config DEFAULTS = new Config(30, 0.005, 50.0, 1 - 0.0001, Mode.BOTH);

        public Config {
            Checks.finite("delta", delta);
            Checks.finite("threshold", threshold);
            Checks.finite("alpha", alpha);
            if (mode == null) {
                throw new IllegalArgumentException("mode must not be null");
            }
        }

        /** river's defaults, but only increases of the monitored value count as drift. */
        public static Config errorStream() {
            return DEFAULTS.withMode(Mode.UP);
        }

        public Config withMode(Mode m) {
            return new Config(minInstances, delta, threshold, alpha, m);
        }
    }

    public record Snapshot(Config config, double n, double mean, double sumIncrease, double sumDecrease,
                           double minIncrease, double maxDecrease, DriftState state) {
    }

    private final Config config;
    private double n;
    private double mean;
    private double sumIncrease;
    private double sumDecrease;
    private double minIncrease;
    private double maxDecrease;
    private DriftState state;

    public PageHinkley() {
        this(Config.DEFAULTS);
    }

    public PageHinkley(Config config) {
        this.config = config;
        reset();
    }

    public static PageHinkley restore(Snapshot s) {
        PageHinkley d = new PageHinkley(s.config());
        d.n = s.n();
        d.mean = s.mean();
        d.sumIncrease = s.sumIncrease();
        d.sumDecrease = s.sumDecrease();
        d.minIncrease = s.minIncrease();
        d.maxDecrease = s.maxDecrease();
        d.state = s.state();
        return d;
    }

    @Override
    public void reset() {
        n = 0.0;
        mean = 0.0;
        sumIncrease = 0.0;
        sumDecrease = 0.0;
        minIncrease = Double.POSITIVE_INFINITY;
        // river starts this at -1, not -inf; the first update always overwrites it (down = delta > -1)
        maxDecrease = -1.0;
        state = DriftState.NONE;
    }

    @Override
    public DriftState update(double x) {
        Checks.finite("x", x);
        if (state == DriftState.DRIFT) {
            reset();
        }
        n += 1.0;
        mean += (1.0 / n) * (x - mean);
        double dev = x - mean;

        sumIncrease = config.alpha() * sumIncrease + dev - config.delta();
        sumDecrease = config.alpha() * sumDecrease + dev + config.delta();
        if (sumIncrease < minIncrease) {
            minIncrease = sumIncrease;
        }
        if (sumDecrease > maxDecrease) {
            maxDecrease = sumDecrease;
        }
        if (n >= config.minInstances()) {
            double up = sumIncrease - minIncrease;
            double down = maxDecrease - sumDecrease;
            boolean drift = switch (config.mode()) {
                case UP -> up > config.threshold();
                case DOWN -> down > config.threshold();
                case BOTH -> up > config.threshold() || down > config.threshold();
            };
            state = drift ? DriftState.DRIFT : DriftState.NONE;
        }
        return state;
    }

    @Override
    public DriftState state() {
        return state;
    }

    @Override
    public Snapshot snapshot() {
        return new Snapshot(config, n, mean, sumIncrease, sumDecrease, minIncrease, maxDecrease, state);
    }
}
