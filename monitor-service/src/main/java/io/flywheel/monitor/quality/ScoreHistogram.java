package io.flywheel.monitor.quality;

import java.util.Arrays;

/**
 * Mergeable ROC AUC state: counts of positives and negatives per score bin over [0, 1].
 *
 * <p>A score s falls in bin {@code min(floor(s * B), B - 1)}, so bin i is [i/B, (i+1)/B) and
 * the last bin also holds 1.0. {@link #auc()} is the Mann–Whitney AUC of the binned scores:
 * a (positive, negative) pair counts 1 when the positive is in a higher bin and 1/2 when both
 * are in the same bin. That is exact for the binning; against the AUC of the raw scores
 * ({@link RocAuc#exact}) it can only err on same-bin pairs, each by at most 1/2, hence
 * {@code |auc() - exact| <= sameBinPairBound()}.
 *
 * <p>This is a mutable accumulator (copying B counters per event would be wasteful); it is not
 * thread-safe. Use {@link #copy()} before handing one to another owner.
 */
public final class ScoreHistogram {

    private final long[] positives;
    private final long[] negatives;

    public ScoreHistogram(int bins) {
        Checks.positive("bins", bins);
        this.positives = new long[bins];
        this.negatives = new long[bins];
    }

    /** Rebuilds a histogram from persisted per-bin counts (arrays are copied). */
    public static ScoreHistogram of(long[] positives, long[] negatives) {
        if (positives.length != negatives.length) {
            throw new IllegalArgumentException("positives and negatives must have the same number of bins: "
                    + positives.length + " vs " + negatives.length);
        }
        ScoreHistogram h = new ScoreHistogram(positives.length);
        for (int i = 0; i < positives.length; i++) {
            h.positives[i] = Checks.nonNegative("positives[" + i + "]", positives[i]);
            h.negatives[i] = Checks.nonNegative("negatives[" + i + "]", negatives[i]);
        }
        return h;
    }

    public int bins() {
        return positives.length;
    }

    public int binOf(double score) {
        Checks.probability("score", score);
        return (int) Math.min(Math.floor(score * bins()), bins() - 1);
    }

    public ScoreHistogram observe(double score, boolean positive) {
        int bin = binOf(score);
        if (positive) positives[bin]++; else negatives[bin]++;
        return this;
    }

    public ScoreHistogram add(ScoreHistogram other) {
        requireSameBins(other);
        for (int i = 0; i < bins(); i++) {
            positives[i] = Math.addExact(positives[i], other.positives[i]);
            negatives[i] = Math.addExact(negatives[i], other.negatives[i]);
        }
        return this;
    }

    /** Removes a pane that was previously added. Validated before mutating, so a failure leaves this unchanged. */
    public ScoreHistogram subtract(ScoreHistogram other) {
        requireSameBins(other);
        for (int i = 0; i < bins(); i++) {
            Checks.nonNegative("positives in bin " + i, positives[i] - other.positives[i]);
            Checks.nonNegative("negatives in bin " + i, negatives[i] - other.negatives[i]);
        }
        for (int i = 0; i < bins(); i++) {
            positives[i] -= other.positives[i];
            negatives[i] -= other.negatives[i];
        }
        return this;
    }

    public ScoreHistogram copy() {
        return of(positives, negatives);
    }

    public long[] positivesPerBin() {
        return positives.clone();
    }

    public long[] negativesPerBin() {
        return negatives.clone();
    }

    public long positives() {
        return Arrays.stream(positives).sum();
    }

    public long negatives() {
        return Arrays.stream(negatives).sum();
    }

    /** AUC of the binned scores; NaN when either class is absent (sklearn raises ValueError there). */
    public double auc() {
        long p = positives();
        long n = negatives();
        if (p == 0 || n == 0) {
            return Double.NaN;
        }
        // doubles: pos_b * neg_below can exceed a long on very large windows
        double wins = 0.0;
        long negativesBelow = 0;
        for (int i = 0; i < bins(); i++) {
            wins += positives[i] * (negativesBelow + 0.5 * negatives[i]);
            negativesBelow += negatives[i];
        }
        return wins / ((double) p * n);
    }

    /**
     * Upper bound on {@code |auc() - RocAuc.exact(raw scores)|}: half the share of
     * (positive, negative) pairs that share a bin. NaN when either class is absent.
     */
    public double sameBinPairBound() {
        long p = positives();
        long n = negatives();
        if (p == 0 || n == 0) {
            return Double.NaN;
        }
        double sameBin = 0.0;
        for (int i = 0; i < bins(); i++) {
            sameBin += (double) positives[i] * negatives[i];
        }
        return 0.5 * sameBin / ((double) p * n);
    }

    private void requireSameBins(ScoreHistogram other) {
        if (other.bins() != bins()) {
            throw new IllegalArgumentException("cannot combine histograms with " + bins()
                    + " and " + other.bins() + " bins");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreHistogram h
                && Arrays.equals(positives, h.positives) && Arrays.equals(negatives, h.negatives);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(positives) + Arrays.hashCode(negatives);
    }

    @Override
    public String toString() {
        return "ScoreHistogram[bins=" + bins() + ", positives=" + positives() + ", negatives=" + negatives() + "]";
    }
}
