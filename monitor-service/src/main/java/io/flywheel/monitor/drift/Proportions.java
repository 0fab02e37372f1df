package io.flywheel.monitor.drift;

/** Turning per-bin counts or weights into proportions, optionally floored. */
final class Proportions {

    /** Evidently's floor on binned proportions, so that log ratios stay finite. */
    static final double FLOOR = 1e-4;

    private Proportions() {
    }

    /** w / sum(w). */
    static double[] normalised(double[] weights, String what) {
        double total = Checks.requireWeights(weights, what);
        double[] p = new double[weights.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = weights[i] / total;
        }
        return p;
    }

    /** max(w / sum(w), 1e-4): numpy's {@code np.maximum(h / len(x), 1e-4)}; not renormalised. */
    static double[] floored(double[] weights, String what) {
        double[] p = normalised(weights, what);
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(p[i], FLOOR);
        }
        return p;
    }
}
