package io.flywheel.retrain.modeltest;

import io.flywheel.linear.Dataset;
import io.flywheel.retrain.evaluation.Predictor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Directional expectations: a feature that should raise (or lower) the score is moved by a delta on
 * every holdout row where it is a number; the score must move the expected way on at least
 * {@code min_fraction} of those rows (strictly: a score that stays where it was does not count).
 */
final class DirectionalTests {

    private DirectionalTests() {
    }

    static String name(ModelTests.Directional test) {
        return "directional " + test.feature() + " " + Perturb.signed(test.delta()) + " " + test.direction();
    }

    static ModelTestReport.Result run(ModelTests.Directional test, Predictor candidate, Dataset holdout) {
        String name = name(test);
        boolean up = ModelTests.INCREASE.equals(test.direction());
        String expectation = "the score " + (up ? "rises" : "falls") + " on at least " + percent(test.minFraction()) + " of rows";
        String missing = Perturb.missingColumn(holdout, test.feature());
        if (missing != null) {
            return ModelTestReport.Result.fail(name, ModelTestReport.DIRECTIONAL, null, expectation, missing);
        }
        List<Integer> indices = Perturb.numericRows(holdout, test.feature());
        if (indices.isEmpty()) {
            return ModelTestReport.Result.fail(name, ModelTestReport.DIRECTIONAL, null, expectation,
                    "no holdout row has a number in '" + test.feature() + "' to move by " + Perturb.signed(test.delta()));
        }
        List<Map<String, Object>> rows = indices.stream().map(i -> holdout.rows().get(i)).toList();
        List<Map<String, Object>> moved = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            moved.add(Perturb.with(row, test.feature(), Perturb.shifted(row.get(test.feature()), test.delta())));
        }
        double[] before = candidate.predict(rows);
        double[] after = candidate.predict(moved);
        int expected = 0;
        String counterexample = null;
        for (int k = 0; k < before.length; k++) {
            if (up ? after[k] > before[k] : after[k] < before[k]) {
                expected++;
            } else if (counterexample == null) {
                counterexample = holdout.locate(indices.get(k)) + ": " + ModelTestReport.format(before[k]) + " → "
                        + ModelTestReport.format(after[k]);
            }
        }
        double fraction = (double) expected / before.length;
        boolean passed = fraction >= test.minFraction();
        String explanation = "moving " + test.feature() + " by " + Perturb.signed(test.delta()) + " " + (up ? "raised" : "lowered")
                + " the score on " + expected + " of " + before.length + " holdout rows (" + percent(fraction) + ")"
                + (passed ? "" : ", expected at least " + percent(test.minFraction()) + "; e.g. " + counterexample);
        return ModelTestReport.Result.of(passed, name, ModelTestReport.DIRECTIONAL, fraction, expectation, explanation);
    }

    private static String percent(double fraction) {
        return ModelTestReport.format(Math.round(fraction * 1000) / 10.0) + "%";
    }
}
