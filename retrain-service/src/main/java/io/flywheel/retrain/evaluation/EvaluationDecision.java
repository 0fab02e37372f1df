package io.flywheel.retrain.evaluation;

import java.util.Locale;
import java.util.Map;

/**
 * Whether a candidate beats the champion: on the policy's metric, by at least the margin, in the
 * metric's direction ({@code Evaluation.higherIsBetter}). Plain Java.
 *
 * <ul>
 *   <li>no champion: promote (nothing to beat);</li>
 *   <li>a champion that could not be scored on the holdout, or a metric undefined for either: reject —
 *       without a fair comparison nothing goes to production;</li>
 *   <li>otherwise promote when the improvement is at least the margin and above zero (a margin of 0
 *       asks for strictly better).</li>
 * </ul>
 */
public final class EvaluationDecision {

    public record Outcome(boolean promote, Double improvement, String reason) {
    }

    private EvaluationDecision() {
    }

    /**
     * @param candidate       the candidate's metrics on the holdout
     * @param champion        the champion's metrics on the same holdout, or null
     * @param championVersion the champion's version, or null when the model has none
     * @param championProblem why the champion could not be scored, or null
     */
    public static Outcome decide(String metric, boolean higherIsBetter, double margin, Map<String, Double> candidate,
                                 Map<String, Double> champion, Integer championVersion, String championProblem) {
        Double mine = candidate == null ? null : candidate.get(metric);
        if (mine == null || !Double.isFinite(mine)) {
            return new Outcome(false, null, "the candidate's " + metric + " is undefined on the holdout");
        }
        if (championVersion == null) {
            return new Outcome(true, null, "no champion to beat: the candidate's " + metric + " is " + format(mine));
        }
        if (championProblem != null) {
            return new Outcome(false, null, "the champion (version " + championVersion + ") could not be scored on the holdout, "
                    + "so there is no fair comparison: " + championProblem);
        }
        Double theirs = champion == null ? null : champion.get(metric);
        if (theirs == null || !Double.isFinite(theirs)) {
            return new Outcome(false, null, "the champion's (version " + championVersion + ") " + metric + " is undefined on the holdout");
        }
        double improvement = higherIsBetter ? mine - theirs : theirs - mine;
        String comparison = "candidate " + metric + " " + format(mine) + " vs champion (version " + championVersion + ") "
                + format(theirs) + " (" + (higherIsBetter ? "higher" : "lower") + " is better): improvement "
                + format(improvement) + ", margin " + format(margin);
        if (improvement > 0 && improvement >= margin) {
            return new Outcome(true, improvement, "beats the champion: " + comparison);
        }
        return new Outcome(false, improvement, "does not beat the champion by the margin: " + comparison);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
