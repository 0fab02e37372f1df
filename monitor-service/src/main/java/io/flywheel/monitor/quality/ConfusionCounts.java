package io.flywheel.monitor.quality;

/**
 * Binary confusion counts. Integer counts make the state exact and mergeable: panes of a
 * sliding window can be {@link #add added} and {@link #subtract subtracted} without drift.
 *
 * <p>Every ratio whose denominator is zero is 0.0, as sklearn with {@code zero_division=0};
 * that includes {@link #accuracy()} of an empty window. Use {@link #total()} to tell
 * "no data" from "all wrong".
 */
public record ConfusionCounts(long tp, long fp, long tn, long fn) {

    public static final ConfusionCounts EMPTY = new ConfusionCounts(0, 0, 0, 0);

    public ConfusionCounts {
        Checks.nonNegative("tp", tp);
        Checks.nonNegative("fp", fp);
        Checks.nonNegative("tn", tn);
        Checks.nonNegative("fn", fn);
    }

    /** One observation. */
    public static ConfusionCounts of(boolean actual, boolean predicted) {
        return EMPTY.observe(actual, predicted);
    }

    /** Counts for parallel arrays of labels and predictions. */
    public static ConfusionCounts of(boolean[] actual, boolean[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual and predicted differ in length: "
                    + actual.length + " vs " + predicted.length);
        }
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < actual.length; i++) {
            if (predicted[i]) {
                if (actual[i]) tp++; else fp++;
            } else {
                if (actual[i]) fn++; else tn++;
            }
        }
        return new ConfusionCounts(tp, fp, tn, fn);
    }

    public ConfusionCounts observe(boolean actual, boolean predicted) {
        if (predicted) {
            return actual ? new ConfusionCounts(tp + 1, fp, tn, fn) : new ConfusionCounts(tp, fp + 1, tn, fn);
        }
        return actual ? new ConfusionCounts(tp, fp, tn, fn + 1) : new ConfusionCounts(tp, fp, tn + 1, fn);
    }

    public ConfusionCounts add(ConfusionCounts other) {
        return new ConfusionCounts(
                Math.addExact(tp, other.tp), Math.addExact(fp, other.fp),
                Math.addExact(tn, other.tn), Math.addExact(fn, other.fn));
    }

    /** Removes a pane that was previously added; a negative result throws IllegalArgumentException. */
    public ConfusionCounts subtract(ConfusionCounts other) {
        return new ConfusionCounts(tp - other.tp, fp - other.fp, tn - other.tn, fn - other.fn);
    }

    public long total() {
        return tp + fp + tn + fn;
    }

    public double accuracy() {
        return Checks.ratioOrZero(tp + tn, total());
    }

    public double precision() {
        return Checks.ratioOrZero(tp, tp + fp);
    }

    public double recall() {
        return Checks.ratioOrZero(tp, tp + fn);
    }

    /** 2tp / (2tp + fp + fn): equal to the harmonic mean of precision and recall whenever that is defined. */
    public double f1() {
        return Checks.ratioOrZero(2.0 * tp, 2.0 * tp + fp + fn);
    }
}
