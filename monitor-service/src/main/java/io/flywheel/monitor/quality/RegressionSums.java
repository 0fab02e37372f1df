package io.flywheel.monitor.quality;

/**
 * Mergeable regression quality: count and sums from which MAE, RMSE, MAPE and R² follow.
 * The error is {@code e = yTrue - yPred}.
 *
 * <p>Sums are doubles, so add/subtract of panes is exact only up to rounding; subtracting back to
 * count 0 yields exactly {@link #EMPTY}, and tiny negative residues of non-negative sums are
 * clamped to 0. For long-lived windows prefer re-summing the live panes over endless
 * add/subtract. Every metric of an empty window is NaN (sklearn raises there).
 */
public record RegressionSums(long count, double sumAbsError, double sumSquaredError,
                             double sumAbsPercentError, double sumY, double sumYSquared) {

    /** sklearn's MAPE divisor floor: {@code np.finfo(np.float64).eps}. */
    public static final double MAPE_EPS = Math.ulp(1.0);

    /**
     * Relative resolution below which SST (computed as Σy² − (Σy)²/n) is indistinguishable from
     * rounding noise and y is treated as constant.
     */
    static final double CONSTANT_Y_RESOLUTION = 1e-12;

    public static final RegressionSums EMPTY = new RegressionSums(0, 0, 0, 0, 0, 0);

    public RegressionSums {
        Checks.nonNegative("count", count);
        nonNegativeFinite("sumAbsError", sumAbsError);
        nonNegativeFinite("sumSquaredError", sumSquaredError);
        nonNegativeFinite("sumAbsPercentError", sumAbsPercentError);
        Checks.finite("sumY", sumY);
        nonNegativeFinite("sumYSquared", sumYSquared);
    }

    public static RegressionSums of(double[] yTrue, double[] yPred) {
        if (yTrue.length != yPred.length) {
            throw new IllegalArgumentException("yTrue and yPred differ in length: "
                    + yTrue.length + " vs " + yPred.length);
        }
        RegressionSums acc = EMPTY;
        for (int i = 0; i < yTrue.length; i++) {
            acc = acc.observe(yTrue[i], yPred[i]);
        }
        return acc;
    }

    public RegressionSums observe(double yTrue, double yPred) {
        Checks.finite("yTrue", yTrue);
        Checks.finite("yPred", yPred);
        double absError = Math.abs(yTrue - yPred);
        return new RegressionSums(count + 1,
                sumAbsError + absError,
                sumSquaredError + absError * absError,
                sumAbsPercentError + absError / Math.max(Math.abs(yTrue), MAPE_EPS),
                sumY + yTrue,
                sumYSquared + yTrue * yTrue);
    }

    public RegressionSums add(RegressionSums o) {
        return new RegressionSums(Math.addExact(count, o.count),
                sumAbsError + o.sumAbsError,
                sumSquaredError + o.sumSquaredError,
                sumAbsPercentError + o.sumAbsPercentError,
                sumY + o.sumY,
                sumYSquared + o.sumYSquared);
    }

    public RegressionSums subtract(RegressionSums o) {
        long n = Checks.nonNegative("count", count - o.count);
        if (n == 0) {
            return EMPTY; // no rounding residue can survive an emptied window
        }
        return new RegressionSums(n,
                Checks.nonNegativeSum("sumAbsError", sumAbsError, o.sumAbsError),
                Checks.nonNegativeSum("sumSquaredError", sumSquaredError, o.sumSquaredError),
                Checks.nonNegativeSum("sumAbsPercentError", sumAbsPercentError, o.sumAbsPercentError),
                sumY - o.sumY,
                Checks.nonNegativeSum("sumYSquared", sumYSquared, o.sumYSquared));
    }

    public double mae() {
        return count == 0 ? Double.NaN : sumAbsError / count;
    }

    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(sumSquaredError / count);
    }

    /** sklearn's mean_absolute_percentage_error: a fraction (0.12 = 12 %), |y| floored at machine epsilon. */
    public double mape() {
        return count == 0 ? Double.NaN : sumAbsPercentError / count;
    }

    /**
     * R² = 1 − SSE/SST with SST = Σy² − (Σy)²/n. For constant y, as sklearn's default
     * ({@code force_finite=True}): 1.0 if the predictions are perfect, else 0.0. "Constant" means
     * SST ≤ 1e-12·Σy², the resolution of the sum formula (it loses precision when the spread of
     * y is tiny relative to its magnitude). Fewer than two samples give NaN, as sklearn.
     */
    public double r2() {
        if (count < 2) {
            return Double.NaN;
        }
        double sst = sumYSquared - sumY * sumY / count;
        if (sst <= CONSTANT_Y_RESOLUTION * sumYSquared) {
            return sumSquaredError == 0.0 ? 1.0 : 0.0;
        }
        return 1.0 - sumSquaredError / sst;
    }

    private static void nonNegativeFinite(String name, double v) {
        if (!Double.isFinite(v) || v < 0.0) {
            throw new IllegalArgumentException(name + " must be a finite non-negative number, got " + v);
        }
    }
}
