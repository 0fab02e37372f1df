package io.flywheel.retrain.evaluation;

import java.util.Map;

/**
 * The comparison of a candidate with the champion on the same holdout rows, with the same metrics:
 * stored with the job and attached to the registered version.
 *
 * @param candidate        the candidate's metrics on the holdout (null for a metric that is undefined there)
 * @param candidateFormat  the candidate's format ({@code flywheel-linear}, {@code onnx})
 * @param championVersion  the champion's version, or null when the model had none
 * @param championFormat   the champion's format as scored, or null when it was not scored
 * @param champion         the champion's metrics on the same rows, or null when there was none or it could not be scored
 * @param championProblem  why the champion could not be scored, or null
 * @param improvement      how much better the candidate is on {@code metric} (negative: worse), or null
 * @param decision         {@code promote} or {@code reject}
 */
public record EvaluationReport(String metric, boolean higherIsBetter, double margin, int holdoutRows,
                               double holdoutFraction, long seed, Map<String, Double> candidate,
                               String candidateFormat, Integer championVersion, String championFormat, Map<String, Double> champion, String championProblem,
                               Double improvement, String decision, String reason) {

    public static final String PROMOTE = "promote";
    public static final String REJECT = "reject";

    public boolean promote() {
        return PROMOTE.equals(decision);
    }
}
