package io.flywheel.retrain.evaluation;

import io.flywheel.linear.Dataset;
import io.flywheel.linear.Evaluation;
import io.flywheel.linear.Metrics;
import io.flywheel.linear.Task;
import io.flywheel.retrain.policy.RetrainPolicy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores the candidate and the champion on the same holdout — the deterministic split of the
 * training set with the trainer's own holdout_fraction and seed, i.e. the rows the trainer held out
 * — with the same code ({@link #metrics}: linear-model's {@link Metrics}, as the reference trainer
 * and the monitor compute them), whatever the two models' formats, and decides
 * ({@link EvaluationDecision}). Plain Java.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * @param trainingSet     the registered training set the candidate was trained on
     * @param candidate       the candidate; it must do the policy's task and score every holdout row
     *                        (IllegalArgumentException otherwise: the job fails)
     * @param championVersion the champion's version, or null when the model has none
     * @param champion        the champion, or null (none, or it can't be scored: see championProblem)
     * @param championProblem why the champion can't be scored, or null
     */
    public static EvaluationReport evaluate(RetrainPolicy policy, Dataset trainingSet, Predictor candidate,
                                            Integer championVersion, Predictor champion, String championProblem) {
        RetrainPolicy.TrainerTarget target = policy.target();
        Task task = Task.of(target.task());
        if (candidate.task() != task) {
            throw new IllegalArgumentException("the candidate (" + candidate.format() + ") is a " + candidate.task().id()
                    + " model, but the policy's task is " + task.id());
        }
        Dataset holdout = holdout(policy, trainingSet);
        Map<String, Double> candidateMetrics = finite(metrics(candidate, holdout, target.target()));
        Map<String, Double> championMetrics = null;
        String problem = championProblem;
        if (champion != null && problem == null) {
            if (champion.task() != candidate.task()) {
                problem = "the champion is a " + champion.task().id() + " model, the candidate a " + candidate.task().id() + " model";
            } else {
                try {
                    championMetrics = finite(metrics(champion, holdout, target.target()));
                } catch (IllegalArgumentException e) {
                    problem = "the champion (" + champion.format() + ") can't score the holdout: " + e.getMessage();
                }
            }
        }
        String metric = policy.evaluation().metric();
        boolean higher = Evaluation.higherIsBetter(metric);
        double margin = policy.evaluation().margin();
        EvaluationDecision.Outcome outcome = EvaluationDecision.decide(metric, higher, margin, candidateMetrics,
                championMetrics, championVersion, problem);
        return new EvaluationReport(metric, higher, margin, holdout.size(), target.holdoutFraction(), target.seed(),
                candidateMetrics, candidate.format(), championVersion, champion == null ? null : champion.format(),
                championMetrics, problem, outcome.improvement(),
                outcome.promote() ? EvaluationReport.PROMOTE : EvaluationReport.REJECT, outcome.reason());
    }

    /**
     * The holdout: the rows of the training set that the trainer held out ({@code DataSplit} with the
     * trainer's holdout_fraction and seed). The evaluation and the model tests both run on these rows.
     */
    public static Dataset holdout(RetrainPolicy policy, Dataset trainingSet) {
        RetrainPolicy.TrainerTarget target = policy.target();
        return trainingSet.split(target.holdoutFraction(), target.seed()).holdout();
    }

    /**
     * The one place metrics are computed from a model's predictions, for every format: classification
     * (accuracy, precision, recall, f1, roc_auc, log_loss) or regression (mae, rmse, mape, r2).
     */
    public static Map<String, Double> metrics(Predictor model, Dataset rows, String target) {
        Predictor.Scores scores = model.score(rows, target);
        return model.task() == Task.BINARY_CLASSIFICATION
                ? Metrics.classification(scores.actual(), scores.predicted(), scores.threshold())
                : Metrics.regression(scores.actual(), scores.predicted());
    }

    /** The metrics with undefined values (NaN) as null, in a stable order. */
    static Map<String, Double> finite(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> out.put(k, v == null || !Double.isFinite(v) ? null : v));
        return out;
    }
}
