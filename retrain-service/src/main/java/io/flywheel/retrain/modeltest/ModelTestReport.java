package io.flywheel.retrain.modeltest;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * What the model tests found on a candidate: one result per test (a slice test gives one per value of
 * its feature), stored with the job ({@code model_tests} of {@code GET /api/v1/retrain/jobs/{id}}).
 * The candidate passes when no result failed; a skipped result (a slice with too few rows, a metric
 * undefined on it) does not stop it and says why it was skipped.
 *
 * @param passed  no test failed
 * @param total   how many results
 * @param failed  how many failed
 * @param skipped how many were skipped
 * @param summary one line: {@code 2 of 7 model tests failed: ...} or {@code all 7 model tests passed}
 * @param results every result, in the order declared (slices, invariance, directional, examples, latency)
 */
public record ModelTestReport(boolean passed, int total, int failed, int skipped, String summary, List<Result> results) {

    public static final String SLICE = "slice";
    public static final String INVARIANCE = "invariance";
    public static final String DIRECTIONAL = "directional";
    public static final String EXAMPLE = "example";
    public static final String LATENCY = "latency";

    /** The job's reason names at most this many failing tests, then how many more. */
    private static final int NAMED_IN_SUMMARY = 10;

    /**
     * One test's outcome.
     *
     * @param name        e.g. {@code slice plan=basic roc_auc}, {@code directional x1 +1 increase}, {@code latency p99}
     * @param kind        slice, invariance, directional, example or latency
     * @param passed      false stops the candidate (a skipped result counts as passed)
     * @param skipped     it could not be measured; {@code explanation} says why
     * @param measured    what was measured (the metric, the largest change, the fraction of rows, the score, the milliseconds), or null
     * @param expectation what it had to be, e.g. {@code >= 0.6}
     * @param explanation one line saying what happened
     */
    public record Result(String name, String kind, boolean passed, boolean skipped, Double measured, String expectation,
                         String explanation) {

        static Result pass(String name, String kind, double measured, String expectation, String explanation) {
            return new Result(name, kind, true, false, finite(measured), expectation, explanation);
        }

        static Result fail(String name, String kind, Double measured, String expectation, String explanation) {
            return new Result(name, kind, false, false, measured == null ? null : finite(measured), expectation, explanation);
        }

        static Result of(boolean passed, String name, String kind, double measured, String expectation, String explanation) {
            return passed ? pass(name, kind, measured, expectation, explanation) : fail(name, kind, measured, expectation, explanation);
        }

        static Result skip(String name, String kind, String expectation, String explanation) {
            return new Result(name, kind, true, true, null, expectation, explanation);
        }

        private static Double finite(double value) {
            return Double.isFinite(value) ? value : null;
        }
    }

    public static ModelTestReport of(List<Result> results) {
        int failed = (int) results.stream().filter(r -> !r.passed()).count();
        int skipped = (int) results.stream().filter(Result::skipped).count();
        String summary;
        if (failed == 0) {
            summary = "all " + results.size() + " model tests passed" + (skipped == 0 ? "" : " (" + skipped + " skipped)");
        } else {
            List<String> names = results.stream().filter(r -> !r.passed()).map(Result::name).toList();
            String named = String.join("; ", names.subList(0, Math.min(names.size(), NAMED_IN_SUMMARY)))
                    + (names.size() > NAMED_IN_SUMMARY ? "; and " + (names.size() - NAMED_IN_SUMMARY) + " more" : "");
            summary = failed + " of " + results.size() + " model tests failed: " + named;
        }
        return new ModelTestReport(failed == 0, results.size(), failed, skipped, summary, List.copyOf(results));
    }

    /** The report as text, one line per result: {@code FAIL directional x1 +1 increase: ... (measured 0, expected >= 1)}. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("model tests: " + summary);
        for (Result r : results) {
            String status = !r.passed() ? "FAIL" : r.skipped() ? "SKIP" : "PASS";
            lines.add(status + " " + r.name() + ": " + r.explanation()
                    + (r.measured() == null ? "" : " (measured " + format(r.measured()) + ", expected " + r.expectation() + ")"));
        }
        return lines;
    }

    /** A number for reports: whole numbers as such, others to 6 significant digits, without an exponent for everyday values. */
    static String format(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros();
        return Math.abs(value) >= 1e-12 ? rounded.toPlainString() : rounded.toString();
    }
}
