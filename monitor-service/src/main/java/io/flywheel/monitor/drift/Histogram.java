package io.flywheel.monitor.drift;

import java.util.Arrays;

/**
 * Counts per bin: one pane of a sliding window. A window is the running sum of its panes:
 * {@link #add} a pane when it enters and {@link #subtract} it when it leaves. Memory is one long
 * per bin plus the total; nothing grows with the number of events.
 *
 * <p>A histogram made with {@link #of(QuantileBins)} can {@link #record(double)} raw values;
 * one made with {@link #withBins(int)} records bin indexes (e.g. from a
 * {@link CategoryDictionary}). Not thread-safe: confine each instance to one thread or guard it.
 */
public final class Histogram {

    private final long[] counts;
    private final QuantileBins bins; // null when the histogram only takes bin indexes
    private long total;

    private Histogram(int binCount, QuantileBins bins) {
        if (binCount < 1) {
            throw new IllegalArgumentException("a histogram needs at least one bin, got " + binCount);
        }
        this.counts = new long[binCount];
        this.bins = bins;
    }

    public static Histogram of(QuantileBins bins) {
        if (bins == null) {
            throw new IllegalArgumentException("bins must not be null");
        }
        return new Histogram(bins.binCount(), bins);
    }

    public static Histogram withBins(int binCount) {
        return new Histogram(binCount, null);
    }

    /** A histogram holding the given counts (copied). */
    public static Histogram ofCounts(long[] counts) {
        Checks.requireCounts(counts, "counts");
        Histogram h = new Histogram(counts.length, null);
        for (int i = 0; i < counts.length; i++) {
            h.counts[i] = counts[i];
            h.total = Math.addExact(h.total, counts[i]);
        }
        return h;
    }

    /** Counts a value in its bin; needs the histogram to have been made from {@link QuantileBins}. */
    public void record(double value) {
        if (bins == null) {
            throw new IllegalStateException("this histogram has no value bins: use record(int bin)");
        }
        record(bins.binOf(value));
    }

    public void record(int bin) {
        record(bin, 1);
    }

    public void record(int bin, long count) {
        if (bin < 0 || bin >= counts.length) {
            throw new IllegalArgumentException("bin " + bin + " is outside [0, " + counts.length + ")");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        counts[bin] += count;
        total += count;
    }

    /** Adds another pane's counts to this one (same bins). */
    public void add(Histogram other) {
        requireCompatible(other);
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    /**
     * Removes a pane that was added before. Checked first, so a failed call changes nothing:
     * a count that would go negative means the pane was never added.
     */
    public void subtract(Histogram other) {
        requireCompatible(other);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < other.counts[i]) {
                throw new IllegalArgumentException("cannot subtract: bin " + i + " has " + counts[i]
                    + " but the pane to remove has " + other.counts[i]);
            }
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] -= other.counts[i];
        }
        total -= other.total;
    }

    /** Same number of bins and, when both know them, the same edges. */
    void requireCompatible(Histogram other) {
        if (other == null) {
            throw new IllegalArgumentException("histogram must not be null");
        }
        if (other.counts.length != counts.length) {
            throw new IllegalArgumentException("histograms have different bin counts: " + counts.length
                + " and " + other.counts.length);
        }
        if (bins != null && other.bins != null && bins != other.bins && !bins.equals(other.bins)) {
            throw new IllegalArgumentException("histograms use different bin edges");
        }
    }

    public void clear() {
        Arrays.fill(counts, 0);
        total = 0;
    }

    public long count(int bin) {
        return counts[bin];
    }

    public long total() {
        return total;
    }

    public int binCount() {
        return counts.length;
    }

    /** A copy of the counts. */
    public long[] counts() {
        return counts.clone();
    }

    /** An independent copy with the same bins. */
    public Histogram copy() {
        Histogram h = new Histogram(counts.length, bins);
        System.arraycopy(counts, 0, h.counts, 0, counts.length);
        h.total = total;
        return h;
    }

    @Override
    public String toString() {
        return "Histogram[bins=" + counts.length + ", total=" + total + "]";
    }
}
