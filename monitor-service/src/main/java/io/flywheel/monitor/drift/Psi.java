package io.flywheel.monitor.drift;

/**
 * Population Stability Index over shared bins:
 * {@code PSI = sum_i (c_i - r_i) * ln(c_i / r_i)}, where r and c are the reference and current
 * proportions per bin, each floored at 1e-4 (not renormalised afterwards), as Evidently and
 * make_golden.py do. Inputs are per-bin counts or weights; each vector is divided by its own total.
 * Drift is usually flagged at PSI &gt;= 0.1.
 */
public final class Psi {

    private Psi() {
    }

    public static double of(double[] reference, double[] current) {
        Checks.requireSameLength(reference == null ? 0 : reference.length, current == null ? 0 : current.length,
            "reference bins", "current bins");
        double[] r = Proportions.floored(reference, "reference bins");
        double[] c = Proportions.floored(current, "current bins");
        double psi = 0.0;
        for (int i = 0; i < r.length; i++) {
            psi += (c[i] - r[i]) * Math.log(c[i] / r[i]);
        }
        return psi;
    }

    public static double of(long[] reference, long[] current) {
        return of(Checks.toDoubles(Checks.requireCounts(reference, "reference bins")),
            Checks.toDoubles(Checks.requireCounts(current, "current bins")));
    }

    public static double of(Histogram reference, Histogram current) {
        reference.requireCompatible(current);
        return of(reference.counts(), current.counts());
    }
}
