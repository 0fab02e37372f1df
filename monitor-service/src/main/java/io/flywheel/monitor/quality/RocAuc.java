package io.flywheel.monitor.quality;

import java.util.Arrays;

/** Exact ROC AUC over raw scores, for windows small enough to keep every (score, label). */
public final class RocAuc {

    private RocAuc() {
    }

    /**
     * Mann–Whitney AUC: the share of (positive, negative) pairs where the positive scores higher,
     * ties counting 1/2. This equals sklearn's {@code roc_auc_score} (the trapezoidal area under
     * the ROC curve treats tied scores the same way). Scores may be any finite numbers, as in
     * sklearn. Returns NaN when either class is absent (sklearn raises ValueError there).
     * O(n log n).
     */
    public static double exact(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels differ in length: "
                    + scores.length + " vs " + labels.length);
        }
        int p = 0;
        for (int i = 0; i < scores.length; i++) {
            Checks.finite("scores[" + i + "]", scores[i]);
            if (labels[i]) p++;
        }
        int n = scores.length - p;
        if (p == 0 || n == 0) {
            return Double.NaN;
        }
        double[] pos = new double[p];
        double[] neg = new double[n];
        for (int i = 0, a = 0, b = 0; i < scores.length; i++) {
            if (labels[i]) pos[a++] = scores[i]; else neg[b++] = scores[i];
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        // For each positive (ascending): below = #negatives strictly lower, upTo = #negatives lower or equal.
        // Its contribution below + (upTo - below) / 2 is accumulated doubled, as an exact integer.
        long doubledWins = 0;
        int below = 0;
        int upTo = 0;
        for (double s : pos) {
            while (below < n && neg[below] < s) below++;
            if (upTo < below) upTo = below;
            while (upTo < n && neg[upTo] <= s) upTo++;
            doubledWins += below + upTo;
        }
        return doubledWins / (2.0 * p * n);
    }
}
