package io.flywheel.monitor.window;

/**
 * The mutable fold of numeric values into one pane's counts: what a pane costs per value
 * (a binary search over the B - 1 edges and an increment). Used in bulk paths and benchmarks;
 * the consumer folds through the immutable {@link DriftWindow}.
 */
public final class Folder {

    private final Binner[] binners;
    private final int[] offsets;
    private final long[] counts;

    public Folder(CompiledProfile profile) {
        this.binners = profile.binners().toArray(Binner[]::new);
        this.offsets = new int[binners.length];
        for (int i = 0; i < binners.length; i++) {
            offsets[i] = profile.offset(i);
        }
        this.counts = new long[profile.width()];
    }

    /** Folds values of one numeric feature. */
    public void fold(int feature, double[] values) {
        Binner b = binners[feature];
        int off = offsets[feature];
        long[] c = counts;
        for (double v : values) {
            c[off + b.binOf(v)]++;
        }
    }

    public long[] counts() {
        return counts.clone();
    }
}
