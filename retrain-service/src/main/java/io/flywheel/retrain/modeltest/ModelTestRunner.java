package io.flywheel.retrain.modeltest;

import io.flywheel.linear.Dataset;
import io.flywheel.retrain.evaluation.Predictor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs a policy's model tests on a candidate, on the evaluation's holdout rows, through the
 * {@link Predictor} that scored it (so every format is tested alike), and gathers the report.
 * A test the candidate can't even be scored for (a feature it lacks, a value of the wrong type) fails
 * with the scorer's message; nothing else is caught. Plain Java.
 */
public final class ModelTestRunner {

    private ModelTestRunner() {
    }

    /**
     * @param tests     the policy's normalised model tests
     * @param candidate the candidate, open
     * @param holdout   the holdout rows (features and the target)
     * @param target    the column that holds the label
     * @param nanoTime  the clock the latency budget is timed with ({@code System::nanoTime})
     */
    public static ModelTestReport run(ModelTests tests, Predictor candidate, Dataset holdout, String target, LongSupplier nanoTime) {
        List<ModelTestReport.Result> results = new ArrayList<>();
        for (ModelTests.Slice test : tests.slices()) {
            results.addAll(guarded(SliceTests.name(test), ModelTestReport.SLICE, () -> SliceTests.run(test, candidate, holdout, target)));
        }
        for (ModelTests.Invariance test : tests.invariance()) {
            results.addAll(guarded(InvarianceTests.name(test), ModelTestReport.INVARIANCE,
                    () -> List.of(InvarianceTests.run(test, candidate, holdout))));
        }
        for (ModelTests.Directional test : tests.directional()) {
            results.addAll(guarded(DirectionalTests.name(test), ModelTestReport.DIRECTIONAL,
                    () -> List.of(DirectionalTests.run(test, candidate, holdout))));
        }
        for (ModelTests.Example test : tests.examples()) {
            results.addAll(guarded(ExampleTests.name(test), ModelTestReport.EXAMPLE, () -> List.of(ExampleTests.run(test, candidate))));
        }
        if (tests.latency() != null) {
            results.addAll(guarded("latency", ModelTestReport.LATENCY, () -> LatencyTest.run(tests.latency(), candidate, holdout, nanoTime)));
        }
        return ModelTestReport.of(results);
    }

    private static List<ModelTestReport.Result> guarded(String name, String kind, Supplier<List<ModelTestReport.Result>> test) {
        try {
            return test.get();
        } catch (IllegalArgumentException e) {
            return List.of(ModelTestReport.Result.fail(name, kind, null, "the candidate scores the test's rows",
                    "the candidate could not score it: " + e.getMessage()));
        }
    }
}
