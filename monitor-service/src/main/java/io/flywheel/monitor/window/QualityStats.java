package io.flywheel.monitor.window;

import io.flywheel.monitor.quality.ConfusionCounts;
import io.flywheel.monitor.quality.LogLossSum;
import io.flywheel.monitor.quality.RegressionSums;
import io.flywheel.monitor.quality.ScoreHistogram;

import java.util.Arrays;

/**
 * Quality of labelled predictions in one pane (or a window, as the sum of panes): exact confusion
 * counts, a score histogram for ROC AUC, the log-loss sum (binary classification), regression sums,
 * and plain hit counts for other labels (multiclass: accuracy). Immutable; add and subtract make
 * windows of panes.
 */
public record QualityStats(ConfusionCounts confusion, long[] scorePositives, long[] scoreNegatives,
                           LogLossSum logLoss, RegressionSums regression, long hits, long labelled) {

    public static final int SCORE_BINS = 100;

    public static QualityStats empty() {
        return new QualityStats(ConfusionCounts.EMPTY, new long[SCORE_BINS], new long[SCORE_BINS], LogLossSum.EMPTY,
                RegressionSums.EMPTY, 0, 0);
    }

    public QualityStats plus(Outcome o) {
        return switch (o) {
            case Outcome.Binary b -> {
                long[] pos = scorePositives;
                long[] neg = scoreNegatives;
                LogLossSum ll = logLoss;
                if (!Double.isNaN(b.score())) {
                    int bin = (int) Math.min(Math.floor(b.score() * SCORE_BINS), SCORE_BINS - 1);
                    if (b.actual()) {
                        pos = pos.clone();
                        pos[bin]++;
                    } else {
                        neg = neg.clone();
                        neg[bin]++;
                    }
                    ll = ll.observe(b.score(), b.actual());
                }
                yield new QualityStats(confusion.observe(b.actual(), b.predicted()), pos, neg, ll, regression,
                        hits + (b.actual() == b.predicted() ? 1 : 0), labelled + 1);
            }
            case Outcome.Regression r -> new QualityStats(confusion, scorePositives, scoreNegatives, logLoss,
                    regression.observe(r.actual(), r.predicted()), hits, labelled + 1);
            case Outcome.Categorical c -> new QualityStats(confusion, scorePositives, scoreNegatives, logLoss,
                    regression, hits + (c.hit() ? 1 : 0), labelled + 1);
        };
    }

    public QualityStats add(QualityStats o) {
        return new QualityStats(confusion.add(o.confusion), sum(scorePositives, o.scorePositives, 1),
                sum(scoreNegatives, o.scoreNegatives, 1), logLoss.add(o.logLoss), regression.add(o.regression),
                hits + o.hits, labelled + o.labelled);
    }

    public QualityStats subtract(QualityStats o) {
        return new QualityStats(confusion.subtract(o.confusion), sum(scorePositives, o.scorePositives, -1),
                sum(scoreNegatives, o.scoreNegatives, -1), logLoss.subtract(o.logLoss),
                regression.subtract(o.regression), hits - o.hits, labelled - o.labelled);
    }

    private static long[] sum(long[] a, long[] b, int sign) {
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += sign * b[i];
        }
        return out;
    }

    /** ROC AUC of the binned scores (NaN without both classes) and its bound against the raw scores. */
    public double auc() {
        return ScoreHistogram.of(scorePositives, scoreNegatives).auc();
    }

    public double aucBound() {
        return ScoreHistogram.of(scorePositives, scoreNegatives).sameBinPairBound();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QualityStats q && q.confusion.equals(confusion) && Arrays.equals(q.scorePositives, scorePositives)
                && Arrays.equals(q.scoreNegatives, scoreNegatives) && q.hits == hits && q.labelled == labelled
                && q.regression.count() == regression.count() && q.logLoss.count() == logLoss.count();
    }

    @Override
    public int hashCode() {
        return confusion.hashCode() * 31 + Long.hashCode(labelled);
    }
}
