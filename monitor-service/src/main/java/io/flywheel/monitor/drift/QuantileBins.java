package io.flywheel.monitor.drift;

import java.util.Arrays;

/**
 * B bins whose inner edges are the reference quantiles k/B, k = 1..B-1, computed like
 * {@code np.quantile(ref, np.linspace(0, 1, B + 1)[1:-1])} with numpy's default 'linear' method;
 * the outer edges are -inf and +inf, so every value falls in a bin.
 *
 * <p>Assignment follows {@code np.histogram(x, [-inf, e_1, ..., e_{B-1}, +inf])}: bin i holds
 * [e_i, e_{i+1}) and the last bin also its right edge (+inf). So a value equal to an inner edge
 * goes to the bin on the right of that edge and, when ties in the reference produce duplicate
 * edges e_k = ... = e_m, all copies of that value go to the bin right of the last duplicate; the
 * bins between duplicates stay empty. In short: {@code binOf(x)} = number of inner edges &lt;= x.
 *
 * <p>Immutable and thread-safe.
 */
public final class QuantileBins {

    public static final int DEFAULT_BINS = 100;
    public static final int MAX_BINS = 10_000;

    private final double[] innerEdges;

    private QuantileBins(double[] innerEdges) {
        this.innerEdges = innerEdges;
    }

    /** {@value #DEFAULT_BINS} bins at the reference percentiles. */
    public static QuantileBins fromReference(double[] reference) {
        return fromReference(reference, DEFAULT_BINS);
    }

    /** B bins at the reference quantiles; the reference must be finite and non-empty. */
    public static QuantileBins fromReference(double[] reference, int bins) {
        Checks.requireFinite(reference, "reference sample");
        requireBinCount(bins);
        double[] sorted = reference.clone();
        Arrays.sort(sorted);
        return new QuantileBins(quantileEdges(sorted, bins));
    }

    /** Bins from inner edges computed before (e.g. persisted with the reference profile). */
    public static QuantileBins ofInnerEdges(double[] innerEdges) {
        if (innerEdges == null) {
            throw new IllegalArgumentException("inner edges must not be null");
        }
        requireBinCount(innerEdges.length + 1);
        for (int i = 0; i < innerEdges.length; i++) {
            if (!Double.isFinite(innerEdges[i])) {
                throw new IllegalArgumentException("inner edge " + i + " is " + innerEdges[i] + ": edges must be finite");
            }
            if (i > 0 && innerEdges[i] < innerEdges[i - 1]) {
                throw new IllegalArgumentException("inner edges must be non-decreasing, but edge " + i + " ("
                    + innerEdges[i] + ") is below edge " + (i - 1) + " (" + innerEdges[i - 1] + ")");
            }
        }
        return new QuantileBins(innerEdges.clone());
    }

    private static void requireBinCount(int bins) {
        if (bins < 1 || bins > MAX_BINS) {
            throw new IllegalArgumentException("number of bins must be in [1, " + MAX_BINS + "], was " + bins);
        }
    }

    /** numpy 'linear' quantiles of a sorted array at q_k = k * (1/B) (numpy's linspace). */
    static double[] quantileEdges(double[] sorted, int bins) {
        int n = sorted.length;
        double step = 1.0 / bins;
        double[] edges = new double[bins - 1];
        for (int k = 1; k < bins; k++) {
            double q = k * step + 0.0;
            double virtualIndex = (n - 1) * q;
            if (virtualIndex >= n - 1) {
                edges[k - 1] = sorted[n - 1];
                continue;
            }
            int previous = (int) Math.floor(virtualIndex);
            double gamma = virtualIndex - previous;
            double a = sorted[previous];
            double b = sorted[previous + 1];
            // numpy's _lerp: a + (b-a)*t, but b - (b-a)*(1-t) when t >= 0.5 (monotone, exact at ends)
            double diff = b - a;
            edges[k - 1] = gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
        }
        return edges;
    }

    public int binCount() {
        return innerEdges.length + 1;
    }

    /** The B - 1 inner edges (a copy). */
    public double[] innerEdges() {
        return innerEdges.clone();
    }

    /** All B + 1 edges, -inf first and +inf last (a copy). */
    public double[] edges() {
        double[] e = new double[innerEdges.length + 2];
        e[0] = Double.NEGATIVE_INFINITY;
        System.arraycopy(innerEdges, 0, e, 1, innerEdges.length);
        e[e.length - 1] = Double.POSITIVE_INFINITY;
        return e;
    }

    /**
     * Bin of a value, np.histogram's rule: the number of inner edges &lt;= value. Uses primitive
     * comparisons, so -0.0 and 0.0 are equal (Arrays.binarySearch would order them).
     */
    public int binOf(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("value is NaN: it has no bin");
        }
        double[] e = innerEdges;
        int n = e.length;
        if (n == 0) {
            return 0;
        }
        // branch-free upper bound: the loop runs log2(n) times whatever the value, and the JIT turns
        // the select into a conditional move, so folding costs no branch mispredictions
        int base = 0;
        while (n > 1) {
            int half = n >>> 1;
            base = e[base + half] <= value ? base + half : base;
            n -= half;
        }
        return base + (e[base] <= value ? 1 : 0);
    }

    /** Histogram of a whole sample over these bins. */
    public Histogram histogram(double[] values) {
        Histogram h = Histogram.of(this);
        for (double v : values) {
            h.record(v);
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantileBins other && Arrays.equals(innerEdges, other.innerEdges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(innerEdges);
    }

    @Override
    public String toString() {
        return "QuantileBins[" + binCount() + " bins]";
    }
}
