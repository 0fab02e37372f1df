package io.flywheel.retrain.modeltest;

import io.flywheel.linear.Dataset;
import io.flywheel.retrain.evaluation.Evaluator;
import io.flywheel.retrain.evaluation.Predictor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Minimum (or maximum) metrics per data slice: the holdout rows grouped by the value of one
 * feature, each group scored with the evaluation's own metrics code ({@link Evaluator#metrics}).
 */
final class SliceTests {

    /** More distinct values than this and the feature is not one to slice by (a continuous number, an id). */
    static final int MAX_SLICES = 50;
    static final String MISSING = "(missing)";

    private SliceTests() {
    }

    static String name(ModelTests.Slice test) {
        return "slice " + test.feature() + " " + test.metric();
    }

    static List<ModelTestReport.Result> run(ModelTests.Slice test, Predictor candidate, Dataset holdout, String target) {
        String expectation = expectation(test);
        String missing = Perturb.missingColumn(holdout, test.feature());
        if (missing != null) {
            return List.of(ModelTestReport.Result.fail(name(test), ModelTestReport.SLICE, null, expectation, missing));
        }
        Map<String, List<Integer>> slices = new TreeMap<>();
        for (int i = 0; i < holdout.size(); i++) {
            Object value = holdout.rows().get(i).get(test.feature());
            slices.computeIfAbsent(value == null ? MISSING : Perturb.text(value), k -> new ArrayList<>()).add(i);
        }
        if (slices.size() > MAX_SLICES) {
            return List.of(ModelTestReport.Result.fail(name(test), ModelTestReport.SLICE, null, expectation,
                    "'" + test.feature() + "' has " + slices.size() + " distinct values in the holdout; slices are for a categorical "
                            + "feature (at most " + MAX_SLICES + " values)"));
        }
        List<ModelTestReport.Result> results = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> slice : slices.entrySet()) {
            String name = "slice " + test.feature() + "=" + slice.getKey() + " " + test.metric();
            int rows = slice.getValue().size();
            String where = rows + " holdout rows where " + test.feature() + " is " + slice.getKey();
            if (rows < test.minRows()) {
                results.add(ModelTestReport.Result.skip(name, ModelTestReport.SLICE, expectation,
                        "skipped: only " + where + ", fewer than min_rows " + test.minRows()));
                continue;
            }
            int[] indices = slice.getValue().stream().mapToInt(Integer::intValue).toArray();
            Double value = Evaluator.metrics(candidate, holdout.select(indices), target).get(test.metric());
            if (value == null || !Double.isFinite(value)) {
                results.add(ModelTestReport.Result.skip(name, ModelTestReport.SLICE, expectation,
                        "skipped: " + test.metric() + " is undefined on the " + where + " (e.g. roc_auc with one class only)"));
                continue;
            }
            boolean passed = (test.min() == null || value >= test.min()) && (test.max() == null || value <= test.max());
            results.add(ModelTestReport.Result.of(passed, name, ModelTestReport.SLICE, value, expectation,
                    test.metric() + " " + ModelTestReport.format(value) + " on the " + where
                            + (passed ? "" : ", expected " + expectation)));
        }
        return results;
    }

    private static String expectation(ModelTests.Slice test) {
        if (test.min() != null && test.max() != null) {
            return "between " + ModelTestReport.format(test.min()) + " and " + ModelTestReport.format(test.max());
        }
        return test.min() != null ? ">= " + ModelTestReport.format(test.min()) : "<= " + ModelTestReport.format(test.max());
    }
}
