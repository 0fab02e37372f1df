package io.flywheel.monitor.drift;

/**
 * One-dimensional Wasserstein-1 (earth mover's) distance between two empirical distributions with
 * equal weights, as {@code scipy.stats.wasserstein_distance(u, v)}: the integral of |U - V| over
 * the line, where U and V are the empirical CDFs. scipy evaluates it as the dot product of
 * |U - V| at each merged value with the gap to the next value; here the same terms are added in
 * one merge pass with compensated (Neumaier) summation, so the result is within a few ulps of the
 * exact sum whatever order scipy's BLAS dot product used.
 *
 * <p>The normalised form is Evidently's: w / max(std(reference, ddof=0), 0.001), which makes the
 * threshold (0.1 by default) unit-free.
 */
public final class Wasserstein {

    /** Evidently's floor on the reference standard deviation. */
    public static final double MIN_STD = 0.001;

    private Wasserstein() {
    }

    /** scipy.stats.wasserstein_distance(reference, current). Values must be finite. */
    public static double distance(double[] reference, double[] current) {
        Checks.requireFinite(reference, "reference sample");
        Checks.requireFinite(current, "current sample");
        return distanceSorted(SortedKeys.sortedValues(reference, "reference sample"),
            SortedKeys.sortedValues(current, "current sample"));
    }

    /** As {@link #distance} for two samples already sorted in ascending order (checked). */
    public static double distanceOfSorted(double[] sortedReference, double[] sortedCurrent) {
        Checks.requireFinite(sortedReference, "sorted reference sample");
        Checks.requireFinite(sortedCurrent, "sorted current sample");
        requireSorted(sortedReference, "sorted reference sample");
        requireSorted(sortedCurrent, "sorted current sample");
        return distanceSorted(sortedReference, sortedCurrent);
    }

    /** w / max(std(reference, ddof=0), 0.001), Evidently's normalised Wasserstein distance. */
    public static double normalised(double[] reference, double[] current) {
        double w = distance(reference, current);
        return w / Math.max(populationStd(reference), MIN_STD);
    }

    /** Standard deviation with ddof = 0 (numpy's default), two-pass with compensated sums. */
    public static double populationStd(double[] values) {
        Checks.requireFinite(values, "sample");
        int n = values.length;
        double mean = NeumaierSum.of(values) / n;
        NeumaierSum squares = new NeumaierSum();
        for (double v : values) {
            double d = v - mean;
            squares.add(d * d);
        }
        return Math.sqrt(squares.value() / n);
    }

    private static double distanceSorted(double[] u, double[] v) {
        int nu = u.length;
        int nv = v.length;
        int i = 0;
        int j = 0;
        NeumaierSum sum = new NeumaierSum();
        // walk the distinct merged values; between value x and the next one y the CDFs are flat
        while (i < nu || j < nv) {
            double x = (j >= nv || (i < nu && u[i] <= v[j])) ? u[i] : v[j];
            while (i < nu && u[i] <= x) {
                i++;
            }
            while (j < nv && v[j] <= x) {
                j++;
            }
            if (i == nu && j == nv) {
                break; // last value: nothing to its right
            }
            double next = (j >= nv || (i < nu && u[i] <= v[j])) ? u[i] : v[j];
            double diff = Math.abs((double) i / nu - (double) j / nv);
            sum.add(diff * (next - x));
        }
        return sum.value();
    }

    private static void requireSorted(double[] values, String what) {
        for (int k = 1; k < values.length; k++) {
            if (values[k] < values[k - 1]) {
                throw new IllegalArgumentException(what + " is not sorted in ascending order at index " + k);
            }
        }
    }
}
