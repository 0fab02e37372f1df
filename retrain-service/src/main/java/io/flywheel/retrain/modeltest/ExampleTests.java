package io.flywheel.retrain.modeltest;

import io.flywheel.linear.Task;
import io.flywheel.retrain.evaluation.Predictor;

import java.util.List;
import java.util.Map;

/**
 * Fixed examples: inputs written in the policy and what the candidate must answer for them — a class,
 * a number, or a range of the score (a classifier's score is the positive class's probability).
 */
final class ExampleTests {

    private ExampleTests() {
    }

    /** An expected class: true for 1 or true (the positive class), false for 0 or false, null for anything else. */
    static Boolean positiveClass(Object expected) {
        if (expected instanceof Boolean b) {
            return b;
        }
        if (expected instanceof Number n && (n.doubleValue() == 1.0 || n.doubleValue() == 0.0)) {
            return n.doubleValue() == 1.0;
        }
        return null;
    }

    static String name(ModelTests.Example test) {
        return "example " + test.name().replaceFirst("^example ", "");
    }

    static ModelTestReport.Result run(ModelTests.Example test, Predictor candidate) {
        String name = name(test);
        double score = candidate.predict(List.of(test.inputs()))[0];
        boolean classifier = candidate.task() == Task.BINARY_CLASSIFICATION;
        String scored = classifier ? "probability of the positive class " + ModelTestReport.format(score)
                : "predicted " + ModelTestReport.format(score);
        if (test.expected() instanceof Map<?, ?> range) {
            Double min = range.get("min") == null ? null : ((Number) range.get("min")).doubleValue();
            Double max = range.get("max") == null ? null : ((Number) range.get("max")).doubleValue();
            String expectation = min != null && max != null ? "between " + ModelTestReport.format(min) + " and " + ModelTestReport.format(max)
                    : min != null ? ">= " + ModelTestReport.format(min) : "<= " + ModelTestReport.format(max);
            boolean passed = (min == null || score >= min) && (max == null || score <= max);
            return ModelTestReport.Result.of(passed, name, ModelTestReport.EXAMPLE, score, expectation,
                    scored + (passed ? ", " : ", not ") + expectation);
        }
        if (classifier) {
            boolean expected = positiveClass(test.expected());
            boolean predicted = score >= candidate.threshold();
            String expectation = "class " + (expected ? "1 (positive)" : "0 (negative)");
            return ModelTestReport.Result.of(predicted == expected, name, ModelTestReport.EXAMPLE, score, expectation,
                    scored + " " + (predicted ? ">=" : "<") + " threshold " + ModelTestReport.format(candidate.threshold())
                            + ": class " + (predicted ? "1" : "0") + (predicted == expected ? "" : ", expected " + expectation));
        }
        double expected = ((Number) test.expected()).doubleValue();
        String expectation = ModelTestReport.format(expected) + " ± " + ModelTestReport.format(test.tolerance());
        boolean passed = Math.abs(score - expected) <= test.tolerance();
        return ModelTestReport.Result.of(passed, name, ModelTestReport.EXAMPLE, score, expectation,
                scored + (passed ? "" : ", expected " + expectation));
    }
}
