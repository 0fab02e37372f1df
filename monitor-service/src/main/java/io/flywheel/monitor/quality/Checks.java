package io.flywheel.monitor.quality;

/** Argument checks shared by the quality classes; every failure is an IllegalArgumentException. */
final class Checks {

    private Checks() {
    }

    static double probability(String name, double p) {
        if (Double.isNaN(p) || p < 0.0 || p > 1.0) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + p);
        }
        return p;
    }

    static double finite(String name, double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + x);
        }
        return x;
    }

    static long nonNegative(String name, long count) {
        if (count < 0) {
            throw new IllegalArgumentException(
                    name + " must not be negative, got " + count
                            + " (was more subtracted than was ever added?)");
        }
        return count;
    }

    static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    /** sklearn's zero_division=0: an undefined ratio is reported as 0. */
    static double ratioOrZero(double numerator, double denominator) {
        return denominator == 0.0 ? 0.0 : numerator / denominator;
    }

    /**
     * A sum of non-negative terms after a subtraction. Floating-point subtraction of a pane leaves
     * rounding residue, so a result slightly below zero (relative to what it was subtracted from)
     * is clamped to 0; anything clearly negative means a pane was subtracted that was never added.
     */
    static double nonNegativeSum(String name, double minuend, double subtrahend) {
        double result = minuend - subtrahend;
        if (result >= 0.0) {
            return result;
        }
        double tolerance = 1e-9 * Math.max(Math.abs(minuend), Math.abs(subtrahend));
        if (result >= -tolerance) {
            return 0.0;
        }
        throw new IllegalArgumentException(name + " would become negative (" + result
                + "): was more subtracted than was ever added?");
    }
}
