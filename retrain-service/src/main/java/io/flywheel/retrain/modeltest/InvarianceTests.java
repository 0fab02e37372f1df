package io.flywheel.retrain.modeltest;

import io.flywheel.linear.Dataset;
import io.flywheel.retrain.evaluation.Predictor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Invariance: a feature that should not matter (an id, a field the model must ignore) is set to other
 * values, or moved by a delta, on every holdout row; no score may change by more than the tolerance.
 */
final class InvarianceTests {

    private InvarianceTests() {
    }

    static String name(ModelTests.Invariance test) {
        return "invariance " + test.feature() + (test.values() != null
                ? " set to " + test.values().size() + (test.values().size() == 1 ? " value" : " values")
                : " " + Perturb.signed(test.delta()));
    }

    static ModelTestReport.Result run(ModelTests.Invariance test, Predictor candidate, Dataset holdout) {
        String name = name(test);
        String expectation = "every score within " + ModelTestReport.format(test.tolerance()) + " of the original";
        String missing = Perturb.missingColumn(holdout, test.feature());
        if (missing != null) {
            return ModelTestReport.Result.fail(name, ModelTestReport.INVARIANCE, null, expectation, missing);
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < holdout.size(); i++) {
            if (test.values() != null || Perturb.numeric(holdout.rows().get(i).get(test.feature()))) {
                indices.add(i);
            }
        }
        if (indices.isEmpty()) {
            return ModelTestReport.Result.fail(name, ModelTestReport.INVARIANCE, null, expectation,
                    "no holdout row has a number in '" + test.feature() + "' to move by " + Perturb.signed(test.delta()));
        }
        List<Map<String, Object>> rows = indices.stream().map(i -> holdout.rows().get(i)).toList();
        double[] base = candidate.predict(rows);
        List<Object> changes = test.values() != null ? test.values() : Collections.singletonList(null);
        double worst = 0;
        String worstCase = null;
        for (Object value : changes) {
            List<Map<String, Object>> changed = new ArrayList<>(rows.size());
            for (Map<String, Object> row : rows) {
                changed.add(Perturb.with(row, test.feature(), value != null ? value : Perturb.shifted(row.get(test.feature()), test.delta())));
            }
            double[] scores = candidate.predict(changed);
            for (int k = 0; k < scores.length; k++) {
                double change = Math.abs(scores[k] - base[k]);
                if (change > worst || Double.isNaN(change)) {
                    worst = Double.isNaN(change) ? Double.POSITIVE_INFINITY : change;
                    worstCase = holdout.locate(indices.get(k)) + ": " + test.feature() + " " + Perturb.render(rows.get(k).get(test.feature()))
                            + " → " + Perturb.render(changed.get(k).get(test.feature())) + " changed the score from "
                            + ModelTestReport.format(base[k]) + " to " + ModelTestReport.format(scores[k]);
                }
            }
        }
        boolean passed = worst <= test.tolerance();
        String what = test.values() != null
                ? "setting " + test.feature() + " to each of " + (test.values().size() <= 5
                        ? test.values().stream().map(Perturb::render).toList().toString() : test.values().size() + " values")
                : "moving " + test.feature() + " by " + Perturb.signed(test.delta());
        String explanation = passed
                ? what + " on " + rows.size() + " holdout rows changed no score by more than " + ModelTestReport.format(test.tolerance())
                        + " (largest change " + ModelTestReport.format(worst) + ")"
                : worstCase + " (by " + ModelTestReport.format(worst) + ", more than the tolerance " + ModelTestReport.format(test.tolerance()) + ")";
        return ModelTestReport.Result.of(passed, name, ModelTestReport.INVARIANCE, worst, expectation, explanation);
    }
}
