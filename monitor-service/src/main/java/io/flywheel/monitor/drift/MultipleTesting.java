package io.flywheel.monitor.drift;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Adjusted p-values for testing many features at once. A feature then drifts when its adjusted
 * p-value is below its threshold.
 */
public final class MultipleTesting {

    private MultipleTesting() {
    }

    /** Bonferroni: min(1, m p_i); controls the family-wise error rate. */
    public static double[] bonferroni(double[] pValues) {
        requirePValues(pValues);
        int m = pValues.length;
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            out[i] = Math.min(1.0, pValues[i] * m);
        }
        return out;
    }

    /**
     * Benjamini–Hochberg step-up adjusted p-values (controls the false discovery rate), as
     * {@code scipy.stats.false_discovery_control(p, method='bh')}: sort ascending, p_(i) * m / i,
     * then the running minimum from the largest down, clipped to 1, in the input order.
     */
    public static double[] benjaminiHochberg(double[] pValues) {
        requirePValues(pValues);
        int m = pValues.length;
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double[] adjusted = new double[m];
        double running = Double.POSITIVE_INFINITY;
        for (int r = m - 1; r >= 0; r--) {
            int i = order[r];
            running = Math.min(running, pValues[i] * ((double) m / (r + 1)));
            adjusted[i] = Math.min(running, 1.0);
        }
        return adjusted;
    }

    private static void requirePValues(double[] pValues) {
        if (pValues == null || pValues.length == 0) {
            throw new IllegalArgumentException("p-values are empty: at least one is needed");
        }
        for (int i = 0; i < pValues.length; i++) {
            if (!(pValues[i] >= 0 && pValues[i] <= 1)) {
                throw new IllegalArgumentException("p-value at index " + i + " must be in [0, 1], was " + pValues[i]);
            }
        }
    }
}
