package io.flywheel.monitor.drift;

/** Compensated summation (Kahan–Babuška–Neumaier): keeps long sums accurate to a few ulps. */
final class NeumaierSum {
    private double sum;
    private double compensation;

    void add(double x) {
        double t = sum + x;
        if (Math.abs(sum) >= Math.abs(x)) {
            compensation += (sum - t) + x;
        } else {
            compensation += (x - t) + sum;
        }
        sum = t;
    }

    double value() {
        return sum + compensation;
    }

    static double of(double[] values) {
        NeumaierSum s = new NeumaierSum();
        for (double v : values) {
            s.add(v);
        }
        return s.value();
    }
}
