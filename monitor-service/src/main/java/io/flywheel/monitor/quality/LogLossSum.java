package io.flywheel.monitor.quality;

/**
 * Mergeable binary log loss: the sum of per-sample losses and their count.
 *
 * <p>A sample with predicted probability p of the positive class costs
 * {@code -log(clip(q, 1e-15, 1 - 1e-15))}, q = p for a positive and 1 - p for a negative.
 * The clip keeps confident mistakes finite (about 34.5). Subtraction is floating point, so a
 * window maintained by add/subtract can differ from a fresh sum in the last bits; a pane
 * subtracted down to count 0 resets the sum to exactly 0.
 */
public record LogLossSum(double sum, long count) {

    public static final double EPS = 1e-15;
    public static final LogLossSum EMPTY = new LogLossSum(0.0, 0);

    public LogLossSum {
        Checks.nonNegative("count", count);
        if (Double.isNaN(sum) || sum < 0.0) {
            throw new IllegalArgumentException("sum must be a non-negative number, got " + sum);
        }
    }

    /** Loss of one prediction. */
    public static double loss(double probability, boolean positive) {
        Checks.probability("probability", probability);
        double q = positive ? probability : 1.0 - probability;
        return -Math.log(Math.min(Math.max(q, EPS), 1.0 - EPS));
    }

    public LogLossSum observe(double probability, boolean positive) {
        return new LogLossSum(sum + loss(probability, positive), count + 1);
    }

    public static LogLossSum of(double[] probabilities, boolean[] labels) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException("probabilities and labels differ in length: "
                    + probabilities.length + " vs " + labels.length);
        }
        LogLossSum acc = EMPTY;
        for (int i = 0; i < labels.length; i++) {
            acc = acc.observe(probabilities[i], labels[i]);
        }
        return acc;
    }

    public LogLossSum add(LogLossSum other) {
        return new LogLossSum(sum + other.sum, Math.addExact(count, other.count));
    }

    public LogLossSum subtract(LogLossSum other) {
        long n = Checks.nonNegative("count", count - other.count);
        if (n == 0) {
            return EMPTY;
        }
        return new LogLossSum(Checks.nonNegativeSum("log loss sum", sum, other.sum), n);
    }

    /** Mean log loss (sklearn's {@code log_loss}); NaN for an empty window. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
