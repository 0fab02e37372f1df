package io.flywheel.linear;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quality metrics on arrays, defined as sklearn defines them (and as monitor-service computes
 * them live). Each map keeps a fixed key order; an undefined value is NaN.
 *
 * <ul>
 *   <li>classification: {@code accuracy}, {@code precision}, {@code recall}, {@code f1} (each 0
 *       when its denominator is 0, sklearn's {@code zero_division} result), {@code roc_auc}
 *       (ties count ½; NaN when only one class is present), {@code log_loss} (mean, p clipped to
 *       [1e-15, 1 − 1e-15]); a prediction is positive when p &ge; threshold;</li>
 *   <li>regression: {@code mae}, {@code rmse}, {@code mape} (a fraction, |y| floored at
 *       float64 epsilon), {@code r2} (for constant y: 1 if perfect, else 0).</li>
 * </ul>
 */
public final class Metrics {

    /** Log-loss probability clip. */
    public static final double LOG_LOSS_EPS = 1e-15;
    /** MAPE's floor under |y|: float64 machine epsilon. */
    public static final double MAPE_EPS = Math.ulp(1.0);

    private Metrics() {
    }

    /**
     * @param positive    1 for a positive row, 0 for a negative one
     * @param probability the predicted probability of the positive label
     */
    public static Map<String, Double> classification(double[] positive, double[] probability, double threshold) {
        int n = checked(positive, probability);
        double tp = 0;
        double fp = 0;
        double fn = 0;
        double correct = 0;
        double logLoss = 0;
        for (int i = 0; i < n; i++) {
            boolean actual = positive[i] == 1.0;
            if (!actual && positive[i] != 0.0) {
                throw new IllegalArgumentException("labels must be 0 or 1, got " + positive[i] + " at " + i);
            }
            boolean predicted = probability[i] >= threshold;
            if (predicted && actual) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (actual) {
                fn++;
            }
            if (predicted == actual) {
                correct++;
            }
            double q = Math.min(Math.max(probability[i], LOG_LOSS_EPS), 1.0 - LOG_LOSS_EPS);
            logLoss -= actual ? StrictMath.log(q) : StrictMath.log(1.0 - q);
        }
        double precision = tp + fp > 0 ? tp / (tp + fp) : 0.0;
        double recall = tp + fn > 0 ? tp / (tp + fn) : 0.0;
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("accuracy", correct / n);
        out.put("precision", precision);
        out.put("recall", recall);
        out.put("f1", f1);
        out.put("roc_auc", rocAuc(positive, probability));
        out.put("log_loss", logLoss / n);
        return Collections.unmodifiableMap(out);
    }

    public static Map<String, Double> regression(double[] actual, double[] predicted) {
        int n = checked(actual, predicted);
        double absolute = 0;
        double squared = 0;
        double percentage = 0;
        double mean = 0;
        for (double v : actual) {
            mean += v;
        }
        mean /= n;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double e = actual[i] - predicted[i];
            absolute += Math.abs(e);
            squared += e * e;
            percentage += Math.abs(e) / Math.max(Math.abs(actual[i]), MAPE_EPS);
            double d = actual[i] - mean;
            total += d * d;
        }
        double r2 = total != 0 ? 1 - squared / total : (squared == 0 ? 1.0 : 0.0);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("mae", absolute / n);
        out.put("rmse", Math.sqrt(squared / n));
        out.put("mape", percentage / n);
        out.put("r2", r2);
        return Collections.unmodifiableMap(out);
    }

    /**
     * Area under the ROC curve: the Mann–Whitney statistic with average ranks for tied scores,
     * which equals sklearn's trapezoidal {@code roc_auc_score}. NaN unless both classes occur.
     */
    public static double rocAuc(double[] positive, double[] score) {
        int n = checked(positive, score);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(score[x], score[y]));
        double positives = 0;
        double rankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1.0;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]] == 1.0) {
                    positives++;
                    rankSum += rank;
                }
            }
            i = j + 1;
        }
        double negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * negatives);
    }

    private static int checked(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        }
        if (a.length == 0) {
            throw new IllegalArgumentException("no rows to score");
        }
        return a.length;
    }
}
