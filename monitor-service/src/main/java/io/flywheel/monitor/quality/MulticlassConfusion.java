package io.flywheel.monitor.quality;

import java.util.Arrays;

/**
 * Multiclass confusion matrix keyed by label index 0..K-1 (row = true class, column = predicted),
 * with accuracy and macro-averaged precision, recall and F1.
 *
 * <p>Macro averages run over the labels that occur in the window as a true or a predicted class,
 * which is what sklearn does when {@code labels} is not passed; a label never seen does not
 * dilute the average. Per-label 0/0 is 0 (sklearn {@code zero_division=0}), and so is every
 * metric of an empty matrix.
 *
 * <p>A mutable accumulator, not thread-safe; {@link #copy()} before sharing.
 */
public final class MulticlassConfusion {

    private final int classes;
    private final long[] counts; // row-major [true][predicted]

    public MulticlassConfusion(int classes) {
        this.classes = Checks.positive("classes", classes);
        this.counts = new long[Math.multiplyExact(classes, classes)];
    }

    public int classes() {
        return classes;
    }

    public MulticlassConfusion observe(int trueClass, int predictedClass) {
        counts[index(trueClass, predictedClass)]++;
        return this;
    }

    public long count(int trueClass, int predictedClass) {
        return counts[index(trueClass, predictedClass)];
    }

    public MulticlassConfusion add(MulticlassConfusion other) {
        requireSameShape(other);
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.addExact(counts[i], other.counts[i]);
        }
        return this;
    }

    /** Removes a pane that was previously added. Validated before mutating, so a failure leaves this unchanged. */
    public MulticlassConfusion subtract(MulticlassConfusion other) {
        requireSameShape(other);
        for (int i = 0; i < counts.length; i++) {
            Checks.nonNegative("count[true=" + i / classes + ", predicted=" + i % classes + "]",
                    counts[i] - other.counts[i]);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] -= other.counts[i];
        }
        return this;
    }

    public MulticlassConfusion copy() {
        MulticlassConfusion c = new MulticlassConfusion(classes);
        System.arraycopy(counts, 0, c.counts, 0, counts.length);
        return c;
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += counts[c * classes + c];
        }
        return Checks.ratioOrZero(correct, total());
    }

    public double macroPrecision() {
        return macro(Metric.PRECISION);
    }

    public double macroRecall() {
        return macro(Metric.RECALL);
    }

    /** Mean of per-label F1 (not the F1 of macro precision and recall), as sklearn. */
    public double macroF1() {
        return macro(Metric.F1);
    }

    private enum Metric { PRECISION, RECALL, F1 }

    private double macro(Metric metric) {
        double sum = 0.0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            long tp = counts[c * classes + c];
            long actual = 0;    // row sum: tp + fn
            long predicted = 0; // column sum: tp + fp
            for (int k = 0; k < classes; k++) {
                actual += counts[c * classes + k];
                predicted += counts[k * classes + c];
            }
            if (actual + predicted == 0) {
                continue;
            }
            present++;
            sum += switch (metric) {
                case PRECISION -> Checks.ratioOrZero(tp, predicted);
                case RECALL -> Checks.ratioOrZero(tp, actual);
                case F1 -> Checks.ratioOrZero(2.0 * tp, actual + predicted);
            };
        }
        return Checks.ratioOrZero(sum, present);
    }

    private int index(int trueClass, int predictedClass) {
        if (trueClass < 0 || trueClass >= classes || predictedClass < 0 || predictedClass >= classes) {
            throw new IllegalArgumentException("class index out of range [0, " + classes + "): true="
                    + trueClass + ", predicted=" + predictedClass);
        }
        return trueClass * classes + predictedClass;
    }

    private void requireSameShape(MulticlassConfusion other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("cannot combine matrices with " + classes
                    + " and " + other.classes + " classes");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MulticlassConfusion m && m.classes == classes && Arrays.equals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return 31 * classes + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "MulticlassConfusion[classes=" + classes + ", total=" + total() + "]";
    }
}
