package io.flywheel.retrain.evaluation;

import io.flywheel.linear.Dataset;
import io.flywheel.linear.Evaluation;
import io.flywheel.linear.LinearModel;
import io.flywheel.retrain.policy.RetrainPolicy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores the candidate and the champion on the same holdout — the deterministic split of the
 * training set with the trainer's own holdout_fraction and seed, i.e. the rows the trainer held out
 * — with the same code ({@link Evaluation#evaluate}), and decides ({@link EvaluationDecision}).
 * Plain Java.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * @param trainingSet     the registered training set the candidate was trained on
     * @param championVersion the champion's version, or null when the model has none
     * @param champion        the champion's model, or null (none, or it could not be loaded: see championProblem)
     * @param championProblem why the champion can't be scored, or null
     */
    public static EvaluationReport evaluate(RetrainPolicy policy, Dataset trainingSet, LinearModel candidate,
                                            Integer championVersion, LinearModel champion, String championProblem) {
        RetrainPolicy.TrainerTarget target = policy.target();
        Dataset holdout = trainingSet.split(target.holdoutFraction(), target.seed()).holdout();
        Map<String, Double> candidateMetrics = finite(Evaluation.evaluate(candidate, holdout));
        Map<String, Double> championMetrics = null;
        String problem = championProblem;
        if (champion != null && problem == null) {
            if (champion.task() != candidate.task()) {
                problem = "the champion is a " + champion.task().id() + " model, the candidate a " + candidate.task().id() + " model";
            } else {
                try {
                    championMetrics = finite(Evaluation.evaluate(champion, holdout));
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
            }
        }
        String metric = policy.evaluation().metric();
        boolean higher = Evaluation.higherIsBetter(metric);
        double margin = policy.evaluation().margin();
        EvaluationDecision.Outcome outcome = EvaluationDecision.decide(metric, higher, margin, candidateMetrics,
                championMetrics, championVersion, problem);
        return new EvaluationReport(metric, higher, margin, holdout.size(), target.holdoutFraction(), target.seed(),
                candidateMetrics, championVersion, championMetrics, problem, outcome.improvement(),
                outcome.promote() ? EvaluationReport.PROMOTE : EvaluationReport.REJECT, outcome.reason());
    }

    /** The metrics with undefined values (NaN) as null, in a stable order. */
    static Map<String, Double> finite(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> out.put(k, v == null || !Double.isFinite(v) ? null : v));
        return out;
    }
}
