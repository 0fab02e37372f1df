package io.flywheel.monitor.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ADWIN (Bifet &amp; Gavaldà 2007, ADWIN2 bucket compression), a line-by-line port of river's
 * {@code river.drift.ADWIN} and its helper {@code AdaptiveWindowing} (Cython adwin_c.pyx of
 * river 0.21–0.24, which 0.25 rewrote in Rust "bit-identical"), including its arithmetic order.
 *
 * <p>The window is kept as rows of buckets; row i holds up to maxBuckets summaries of 2^i values
 * each (a (maxBuckets+1)-th one triggers a merge into row i+1). Every {@code clock} updates, once
 * the window is longer than gracePeriod, each cut into an older W0 and a newer W1 (both at least
 * minWindowLength long) is tested with
 * {@code |mean(W0) − mean(W1)| > sqrt(2·m·σ²·δ') + (2/3)·δ'·m},
 * δ' = ln(2·ln(width)/δ), m = 1/(n0 − minWindowLength + 1) + 1/(n1 − minWindowLength + 1),
 * σ² the window variance. On a cut the oldest bucket is dropped and the scan repeats.
 * As in river, a DRIFT makes the next update discard the whole window and start afresh.
 *
 * <p>river changed the cut scan in 0.22.0 ("Make drift.ADWIN comply with the reference MOA
 * implementation", issue #1539): 0.21 never tested the cut after the newest bucket of each row
 * ({@code range(bucket.current_idx - 1)}). {@link CutScan#ALL_BUCKETS} (default) is river 0.22+
 * and MOA; {@link CutScan#RIVER_0_21} is the 0.21 scan.
 */
public final class Adwin implements DriftDetector<Adwin.Snapshot> {

    /** Which cut points the change scan visits (see the class comment). */
    public enum CutScan { ALL_BUCKETS, RIVER_0_21 }

    public record Config(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod,
                         CutScan scan) {
        /** river's defaults (delta=0.002, clock=32, max_buckets=5, min_window_length=5, grace_period=10). */
        public static final Config DEFAULTS = new Config(0.002, 32, 5, 5, 10, CutScan.ALL_BUCKETS);

        public Config withScan(CutScan s) {
            return new Config(delta, clock, maxBuckets, minWindowLength, gracePeriod, s);
        }

        public Config {
            if (!(delta > 0.0 && delta < 1.0)) {
                throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
            }
            Checks.positive("clock", clock);
            Checks.positive("maxBuckets", maxBuckets);
            if (minWindowLength < 1) {
                throw new IllegalArgumentException("minWindowLength must be at least 1, got " + minWindowLength);
            }
            if (gracePeriod < 0) {
                throw new IllegalArgumentException("gracePeriod must not be negative, got " + gracePeriod);
            }
            if (scan == null) {
                throw new IllegalArgumentException("scan must not be null");
            }
        }
    }

    /** One row of buckets, oldest first; each bucket summarises 2^row values by their sum and variance. */
    public record Row(double[] totals, double[] variances) {
        public Row {
            if (totals.length != variances.length) {
                throw new IllegalArgumentException("totals and variances differ in length");
            }
            totals = totals.clone();
            variances = variances.clone();
        }

        @Override
        public double[] totals() {
            return totals.clone();
        }

        @Override
        public double[] variances() {
            return variances.clone();
        }
    }

    /** Persistable state; rows.get(0) holds single values (the newest data). */
    public record Snapshot(Config config, double width, double total, double variance, long tick,
                           long detections, DriftState state, List<Row> rows) {
        public Snapshot {
            rows = List.copyOf(rows);
        }
    }

    /** river's Bucket: fixed arrays of maxBuckets + 1 slots and a fill index. */
    private static final class Bucket {
        final double[] totals;
        final double[] variances;
        int size;

        Bucket(int maxBuckets) {
            totals = new double[maxBuckets + 1];
            variances = new double[maxBuckets + 1];
        }

        void insert(double total, double variance) {
            totals[size] = total;
            variances[size] = variance;
            size++;
        }

        /** Drops the first (oldest) n entries. */
        void compress(int n) {
            System.arraycopy(totals, n, totals, 0, totals.length - n);
            System.arraycopy(variances, n, variances, 0, variances.length - n);
            for (int i = totals.length - n; i < totals.length; i++) {
                totals[i] = 0.0;
                variances[i] = 0.0;
            }
            size -= n;
        }
    }

    private final Config config;
    private final List<Bucket> rows = new ArrayList<>();
    private double width;
    private double total;
    private double variance; // sum of squared deviations, not divided by width
    private long tick;
    private long detections;
    private DriftState state;

    public Adwin() {
        this(Config.DEFAULTS);
    }

    public Adwin(Config config) {
        this.config = config;
        clear();
    }

    public static Adwin restore(Snapshot s) {
        if (s.rows().isEmpty()) {
            throw new IllegalArgumentException("an ADWIN snapshot has at least one bucket row");
        }
        Adwin a = new Adwin(s.config());
        a.rows.clear();
        for (Row r : s.rows()) {
            if (r.totals.length > s.config().maxBuckets() + 1) {
                throw new IllegalArgumentException("row holds " + r.totals.length
                        + " buckets, more than maxBuckets + 1");
            }
            Bucket b = new Bucket(s.config().maxBuckets());
            for (int i = 0; i < r.totals.length; i++) {
                b.insert(r.totals[i], r.variances[i]);
            }
            a.rows.add(b);
        }
        a.width = s.width();
        a.total = s.total();
        a.variance = s.variance();
        a.tick = s.tick();
        a.detections = s.detections();
        a.state = s.state();
        return a;
    }

    /** Empties the window and forgets the detection count. */
    @Override
    public void reset() {
        clear();
    }

    // river replaces its whole helper on reset, detection counter included, so detections()
    // counts since the last reset or drift: with river's reset-after-drift that is 0 or 1.
    private void clear() {
        rows.clear();
        rows.add(new Bucket(config.maxBuckets()));
        width = 0.0;
        total = 0.0;
        variance = 0.0;
        tick = 0;
        detections = 0;
        state = DriftState.NONE;
    }

    @Override
    public DriftState update(double x) {
        Checks.finite("x", x);
        if (state == DriftState.DRIFT) {
            clear();
        }
        insertElement(x);
        boolean change = detectChange();
        state = change ? DriftState.DRIFT : DriftState.NONE;
        return state;
    }

    private void insertElement(double value) {
        rows.get(0).insert(value, 0.0);
        width += 1;
        double incrementalVariance = 0.0;
        if (width > 1.0) {
            incrementalVariance = (width - 1.0)
                    * (value - total / (width - 1.0))
                    * (value - total / (width - 1.0))
                    / width;
        }
        variance += incrementalVariance;
        total += value;
        compressBuckets();
    }

    private static double bucketSize(int row) {
        return Math.pow(2, row);
    }

    /** Drops the oldest bucket (first entry of the last row); returns how many values it held. */
    private double deleteElement() {
        int last = rows.size() - 1;
        Bucket bucket = rows.get(last);
        double n = bucketSize(last);
        double u = bucket.totals[0];
        double mu = u / n;
        double v = bucket.variances[0];

        width -= n;
        total -= u;
        double muWindow = total / width;
        double incrementalVariance = v + n * width * (mu - muWindow) * (mu - muWindow) / (n + width);
        variance -= incrementalVariance;

        bucket.compress(1);
        if (bucket.size == 0) {
            rows.remove(last);
        }
        return n;
    }

    private void compressBuckets() {
        int idx = 0;
        Bucket bucket = rows.get(0);
        while (bucket != null) {
            if (bucket.size == config.maxBuckets() + 1) {
                if (idx + 1 >= rows.size()) {
                    rows.add(new Bucket(config.maxBuckets()));
                }
                Bucket next = rows.get(idx + 1);
                double n1 = bucketSize(idx);
                double n2 = bucketSize(idx);
                double mu1 = bucket.totals[0] / n1;
                double mu2 = bucket.totals[1] / n2;
                double total12 = bucket.totals[0] + bucket.totals[1];
                double temp = n1 * n2 * (mu1 - mu2) * (mu1 - mu2) / (n1 + n2);
                double v12 = bucket.variances[0] + bucket.variances[1] + temp;
                next.insert(total12, v12);
                bucket.compress(2);
                if (next.size <= config.maxBuckets()) {
                    break;
                }
            } else {
                break;
            }
            bucket = idx + 1 < rows.size() ? rows.get(idx + 1) : null;
            idx++;
        }
    }

    private boolean detectChange() {
        boolean changeDetected = false;
        tick++;
        if (tick % config.clock() == 0 && width > config.gracePeriod()) {
            boolean reduceWidth = true;
            while (reduceWidth) {
                reduceWidth = false;
                boolean exit = false;
                double n0 = 0.0;
                double n1 = width;
                double u0 = 0.0;
                double u1 = total;
                // (river also tracks the two sub-window variances here; they feed nothing, so they are omitted)
                for (int idx = rows.size() - 1; idx >= 0; idx--) {
                    if (exit) {
                        break;
                    }
                    Bucket bucket = rows.get(idx);
                    int limit = config.scan() == CutScan.ALL_BUCKETS ? bucket.size : bucket.size - 1;
                    for (int k = 0; k < limit; k++) {
                        n0 += bucketSize(idx);
                        n1 -= bucketSize(idx);
                        u0 += bucket.totals[k];
                        u1 -= bucket.totals[k];

                        if (idx == 0 && k == bucket.size - 1) { // the whole window is W0: no cut left
                            exit = true;
                            break;
                        }
                        double deltaMean = (u0 / n0) - (u1 / n1);
                        if (n1 >= config.minWindowLength() && n0 >= config.minWindowLength()
                                && evaluateCut(n0, n1, deltaMean)) {
                            reduceWidth = true;
                            changeDetected = true;
                            if (width > 0) {
                                n0 -= deleteElement();
                                exit = true;
                                break;
                            }
                        }
                    }
                }
            }
        }
        if (changeDetected) {
            detections++;
        }
        return changeDetected;
    }

    private boolean evaluateCut(double n0, double n1, double deltaMean) {
        double deltaPrime = Math.log(2 * Math.log(width) / config.delta());
        double mRecip = (1.0 / (n0 - config.minWindowLength() + 1))
                + (1.0 / (n1 - config.minWindowLength() + 1));
        double epsilon = Math.sqrt(2 * mRecip * (variance / width) * deltaPrime)
                + 2.0 / 3.0 * deltaPrime * mRecip;
        return Math.abs(deltaMean) > epsilon;
    }

    @Override
    public DriftState state() {
        return state;
    }

    /** Number of values in the current window. */
    public long width() {
        return (long) width;
    }

    /** Mean of the current window, 0 when empty (river's {@code estimation}). */
    public double estimation() {
        return width == 0 ? 0.0 : total / width;
    }

    /** Sum of squared deviations from the window mean (river's {@code variance}, not divided by width). */
    public double variance() {
        return variance;
    }

    /** Detections since the last reset (river's {@code n_detections}). */
    public long detections() {
        return detections;
    }

    @Override
    public Snapshot snapshot() {
        List<Row> out = new ArrayList<>(rows.size());
        for (Bucket b : rows) {
            out.add(new Row(Arrays.copyOf(b.totals, b.size), Arrays.copyOf(b.variances, b.size)));
        }
        return new Snapshot(config, width, total, variance, tick, detections, state, out);
    }
}
