package io.flywheel.retrain.modeltest;

import io.flywheel.linear.Dataset;
import io.flywheel.retrain.evaluation.Predictor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The latency budget. The candidate's scorer — {@link Predictor#predict}, the same scoring code deploy's
 * serving runtime runs (linear-model's {@code LinearModel}, or the model's ONNX Runtime session) — is
 * timed here, in retrain's own process, on batches of holdout rows: {@code warmup} calls first, then
 * {@code requests} timed calls. It is not measured through deploy's HTTP: request decoding, the
 * network, queueing and the prediction log are not in these figures, and the machine is retrain's.
 * p50 and p99 are nearest-rank percentiles of the timed calls.
 */
final class LatencyTest {

    private LatencyTest() {
    }

    static List<ModelTestReport.Result> run(ModelTests.Latency test, Predictor candidate, Dataset holdout, LongSupplier nanoTime) {
        List<Map<String, Object>> rows = holdout.rows();
        int batch = test.batch();
        for (int i = 0; i < test.warmup(); i++) {
            candidate.predict(batch(rows, i, batch));
        }
        long[] nanos = new long[test.requests()];
        for (int i = 0; i < nanos.length; i++) {
            List<Map<String, Object>> input = batch(rows, test.warmup() + i, batch);
            long start = nanoTime.getAsLong();
            candidate.predict(input);
            nanos[i] = nanoTime.getAsLong() - start;
        }
        Arrays.sort(nanos);
        double p50 = percentile(nanos, 0.50) / 1e6;
        double p99 = percentile(nanos, 0.99) / 1e6;
        String measured = "p50 " + ModelTestReport.format(p50) + " ms, p99 " + ModelTestReport.format(p99) + " ms over "
                + test.requests() + " calls of " + batch + (batch == 1 ? " row" : " rows") + " after " + test.warmup()
                + " warm-up calls (the serving runtime's scorer, timed in retrain's process, not through deploy's HTTP)";
        List<ModelTestReport.Result> results = new ArrayList<>();
        if (test.p50Ms() != null) {
            results.add(result("latency p50", p50, test.p50Ms(), measured));
        }
        if (test.p99Ms() != null) {
            results.add(result("latency p99", p99, test.p99Ms(), measured));
        }
        return results;
    }

    private static ModelTestReport.Result result(String name, double ms, double budget, String measured) {
        boolean passed = ms <= budget;
        return ModelTestReport.Result.of(passed, name, ModelTestReport.LATENCY, ms, "<= " + ModelTestReport.format(budget) + " ms",
                measured + (passed ? "" : ": over the budget of " + ModelTestReport.format(budget) + " ms"));
    }

    /** The i-th call's rows: the holdout taken in turn, from the start again when it runs out. */
    private static List<Map<String, Object>> batch(List<Map<String, Object>> rows, int call, int size) {
        List<Map<String, Object>> out = new ArrayList<>(size);
        long first = (long) call * size;
        for (int k = 0; k < size; k++) {
            out.add(rows.get((int) ((first + k) % rows.size())));
        }
        return out;
    }

    /** Nearest rank: the smallest value with at least p of the values at or below it. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
