package io.flywheel.retrain.modeltest;

import io.flywheel.linear.Task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model tests a retrain policy declares ({@code model_tests}): gates the candidate must pass,
 * on the holdout, before it is registered and promoted. Every list may be left out (none of that
 * kind); {@link #normalise} fills in the defaults and lists what is wrong. Plain Java.
 *
 * @param slices      a minimum (or maximum) of a metric on each value of a feature
 * @param invariance  changing a feature that should not matter changes no score
 * @param directional raising a feature moves the score the expected way
 * @param examples    fixed inputs with their expected output
 * @param latency     a latency budget for the serving runtime's scorer, or null
 */
public record ModelTests(List<Slice> slices, List<Invariance> invariance, List<Directional> directional,
                         List<Example> examples, Latency latency) {

    static final int MAX_TESTS = 50;
    static final int MAX_VALUES = 50;
    static final int DEFAULT_MIN_ROWS = 20;
    static final double DEFAULT_TOLERANCE = 1e-6;
    static final int DEFAULT_BATCH = 1;
    static final int DEFAULT_REQUESTS = 200;
    static final int DEFAULT_WARMUP = 50;

    public static final String INCREASE = "increase";
    public static final String DECREASE = "decrease";

    /**
     * The metric on the holdout rows of each value of {@code feature} (a categorical feature: at most
     * 50 distinct values in the holdout), for every value with at least {@code minRows} rows.
     *
     * @param metric  one of the evaluation metrics of the policy's task (default: the policy's evaluation metric)
     * @param min     the value must be at least this (for metrics where higher is better), or null
     * @param max     the value must be at most this (rmse, log_loss, ...), or null; one of min and max is required
     * @param minRows a slice with fewer rows is skipped, reported as such (default 20)
     */
    public record Slice(String feature, String metric, Double min, Double max, Integer minRows) {
    }

    /**
     * Each holdout row scored again with {@code feature} set to each of {@code values} (every row), or
     * moved by {@code delta} (rows where it is a number); no score may change by more than {@code tolerance}.
     */
    public record Invariance(String feature, List<Object> values, Double delta, Double tolerance) {
    }

    /**
     * Each holdout row where {@code feature} is a number, scored again with it moved by {@code delta}:
     * the score must rise ({@code increase}) or fall ({@code decrease}) on at least {@code minFraction}
     * of them (default 1: every row).
     */
    public record Directional(String feature, Double delta, String direction, Double minFraction) {
    }

    /**
     * A fixed input and what the candidate must answer: for a classifier the class (1 or true for the
     * positive class, 0 or false for the other) or a range of the positive class's probability
     * {@code {"min": .., "max": ..}}; for a regression a number (within {@code tolerance}, default 1e-6)
     * or a range.
     */
    public record Example(String name, Map<String, Object> inputs, Object expected, Double tolerance) {
    }

    /**
     * The candidate's scorer timed in retrain's own process (not through deploy's HTTP): {@code warmup}
     * calls, then {@code requests} timed calls of {@code batch} holdout rows each.
     *
     * @param p50Ms the median must be at most this many milliseconds, or null
     * @param p99Ms the 99th percentile must be at most this many milliseconds, or null; one of the two is required
     */
    public record Latency(Double p50Ms, Double p99Ms, Integer batch, Integer requests, Integer warmup) {
    }

    /** How many tests are declared (a slice test counts once, whatever its number of values). */
    public int count() {
        return size(slices) + size(invariance) + size(directional) + size(examples) + (latency == null ? 0 : 1);
    }

    /**
     * The declaration with every default filled in; what is wrong is added to {@code problems}, each
     * naming its field as the JSON does ({@code model_tests.directional[0].direction ...}).
     *
     * @param task          the policy's task, or null when it is unknown (then checks that depend on it are left out)
     * @param metrics       the metrics of that task
     * @param defaultMetric a slice's metric when it names none (the policy's evaluation metric)
     */
    public ModelTests normalise(Task task, Set<String> metrics, String defaultMetric, List<String> problems) {
        List<Slice> s = new ArrayList<>();
        List<Invariance> inv = new ArrayList<>();
        List<Directional> dir = new ArrayList<>();
        List<Example> ex = new ArrayList<>();
        count(problems, "slices", slices);
        count(problems, "invariance", invariance);
        count(problems, "directional", directional);
        count(problems, "examples", examples);
        for (int i = 0; slices != null && i < slices.size(); i++) {
            add(s, slice(slices.get(i), "model_tests.slices[" + i + "]", task, metrics, defaultMetric, problems));
        }
        for (int i = 0; invariance != null && i < invariance.size(); i++) {
            add(inv, invariance(invariance.get(i), "model_tests.invariance[" + i + "]", problems));
        }
        for (int i = 0; directional != null && i < directional.size(); i++) {
            add(dir, directional(directional.get(i), "model_tests.directional[" + i + "]", problems));
        }
        for (int i = 0; examples != null && i < examples.size(); i++) {
            add(ex, example(examples.get(i), i, task, problems));
        }
        return new ModelTests(List.copyOf(s), List.copyOf(inv), List.copyOf(dir), List.copyOf(ex),
                latency == null ? null : latency(latency, problems));
    }

    /** Adds a normalised test; null (an entry that was not an object) was reported as a problem already. */
    private static <T> void add(List<T> tests, T test) {
        if (test != null) {
            tests.add(test);
        }
    }

    private static Slice slice(Slice t, String at, Task task, Set<String> metrics, String defaultMetric, List<String> problems) {
        if (t == null) {
            problems.add(at + " must be an object");
            return null;
        }
        checkFeature(t.feature(), at, problems);
        String metric = t.metric() == null ? defaultMetric : t.metric();
        if (task != null && !metrics.contains(metric)) {
            problems.add(at + ".metric must be one of " + String.join(", ", metrics.stream().sorted().toList()) + " for " + task.id());
        }
        check(problems, t.min() != null || t.max() != null, at + " needs min or max (or both): the bound the metric must keep on every slice");
        check(problems, t.min() == null || Double.isFinite(t.min()), at + ".min must be a finite number");
        check(problems, t.max() == null || Double.isFinite(t.max()), at + ".max must be a finite number");
        check(problems, t.min() == null || t.max() == null || t.min() <= t.max(), at + ".min must not be above max");
        int minRows = t.minRows() == null ? DEFAULT_MIN_ROWS : t.minRows();
        check(problems, minRows >= 1, at + ".min_rows must be 1 or more");
        return new Slice(t.feature(), metric, t.min(), t.max(), minRows);
    }

    private static Invariance invariance(Invariance t, String at, List<String> problems) {
        if (t == null) {
            problems.add(at + " must be an object");
            return null;
        }
        checkFeature(t.feature(), at, problems);
        check(problems, (t.values() == null) != (t.delta() == null), at + " needs either values (what to set the feature to) or delta (how much to add to it)");
        if (t.values() != null) {
            check(problems, !t.values().isEmpty() && t.values().size() <= MAX_VALUES, at + ".values must hold 1 to " + MAX_VALUES + " values");
            check(problems, t.values().stream().allMatch(ModelTests::scalar), at + ".values must be numbers, strings or booleans");
        }
        check(problems, t.delta() == null || Double.isFinite(t.delta()) && t.delta() != 0, at + ".delta must be a finite number other than 0");
        double tolerance = t.tolerance() == null ? DEFAULT_TOLERANCE : t.tolerance();
        check(problems, Double.isFinite(tolerance) && tolerance >= 0, at + ".tolerance must be a number >= 0");
        return new Invariance(t.feature(), t.values() == null ? null : new ArrayList<>(t.values()), t.delta(), tolerance);
    }

    private static Directional directional(Directional t, String at, List<String> problems) {
        if (t == null) {
            problems.add(at + " must be an object");
            return null;
        }
        checkFeature(t.feature(), at, problems);
        check(problems, t.delta() != null && Double.isFinite(t.delta()) && t.delta() != 0, at + ".delta is required: a finite number other than 0");
        check(problems, INCREASE.equals(t.direction()) || DECREASE.equals(t.direction()),
                at + ".direction must be increase or decrease (how the score must move)");
        double minFraction = t.minFraction() == null ? 1.0 : t.minFraction();
        check(problems, minFraction > 0 && minFraction <= 1, at + ".min_fraction must be > 0 and <= 1");
        return new Directional(t.feature(), t.delta(), t.direction(), minFraction);
    }

    private static Example example(Example t, int i, Task task, List<String> problems) {
        String at = "model_tests.examples[" + i + "]";
        if (t == null) {
            problems.add(at + " must be an object");
            return null;
        }
        String name = t.name() == null ? "example " + (i + 1) : t.name();
        check(problems, !name.isBlank() && name.length() <= 100, at + ".name must be 1 to 100 characters");
        check(problems, t.inputs() != null && !t.inputs().isEmpty(), at + ".inputs is required: the features by name");
        if (t.inputs() != null) {
            t.inputs().forEach((feature, value) -> check(problems, scalar(value),
                    at + ".inputs." + feature + " must be a number, a string or a boolean"));
        }
        Object expected = t.expected();
        if (expected instanceof Map<?, ?> range) {
            Map<String, Object> bounds = new LinkedHashMap<>();
            range.forEach((k, v) -> bounds.put(String.valueOf(k), v));
            check(problems, Set.of("min", "max").containsAll(bounds.keySet()), at + ".expected as a range takes only min and max");
            check(problems, bounds.get("min") != null || bounds.get("max") != null, at + ".expected as a range needs min or max (or both)");
            check(problems, bounds.values().stream().allMatch(v -> v == null || v instanceof Number n && Double.isFinite(n.doubleValue())),
                    at + ".expected.min and max must be finite numbers");
            expected = bounds;
        } else if (expected == null) {
            problems.add(at + ".expected is required: " + (task == Task.REGRESSION ? "a number" : "the class (1/true or 0/false)")
                    + " or a range {\"min\": .., \"max\": ..}");
        } else if (task == Task.BINARY_CLASSIFICATION) {
            check(problems, ExampleTests.positiveClass(expected) != null,
                    at + ".expected must be the class: 1 or true (the positive class), 0 or false, or a range of its probability {\"min\": .., \"max\": ..}");
        } else if (task == Task.REGRESSION) {
            check(problems, expected instanceof Number n && Double.isFinite(n.doubleValue()),
                    at + ".expected must be a number or a range {\"min\": .., \"max\": ..}");
        }
        double tolerance = t.tolerance() == null ? DEFAULT_TOLERANCE : t.tolerance();
        check(problems, Double.isFinite(tolerance) && tolerance >= 0, at + ".tolerance must be a number >= 0");
        return new Example(name, t.inputs(), expected, tolerance);
    }

    private static Latency latency(Latency t, List<String> problems) {
        String at = "model_tests.latency";
        check(problems, t.p50Ms() != null || t.p99Ms() != null, at + " needs p99_ms or p50_ms (or both): the budget in milliseconds");
        check(problems, t.p50Ms() == null || Double.isFinite(t.p50Ms()) && t.p50Ms() > 0, at + ".p50_ms must be a number > 0");
        check(problems, t.p99Ms() == null || Double.isFinite(t.p99Ms()) && t.p99Ms() > 0, at + ".p99_ms must be a number > 0");
        int batch = t.batch() == null ? DEFAULT_BATCH : t.batch();
        int requests = t.requests() == null ? DEFAULT_REQUESTS : t.requests();
        int warmup = t.warmup() == null ? DEFAULT_WARMUP : t.warmup();
        check(problems, batch >= 1 && batch <= 10_000, at + ".batch must be between 1 and 10000 (rows per call)");
        check(problems, requests >= 10 && requests <= 100_000, at + ".requests must be between 10 and 100000 (timed calls)");
        check(problems, warmup >= 0 && warmup <= 10_000, at + ".warmup must be between 0 and 10000 (calls before timing)");
        check(problems, (long) batch * (requests + warmup) <= 2_000_000L, at + ": batch x (requests + warmup) must be at most 2000000 rows scored");
        return new Latency(t.p50Ms(), t.p99Ms(), batch, requests, warmup);
    }

    private static void checkFeature(String feature, String at, List<String> problems) {
        check(problems, feature != null && !feature.isBlank(), at + ".feature is required");
    }

    private static void count(List<String> problems, String field, List<?> list) {
        check(problems, list == null || list.size() <= MAX_TESTS, "model_tests." + field + " holds at most " + MAX_TESTS + " tests");
    }

    static boolean scalar(Object value) {
        return value instanceof String || value instanceof Boolean || value instanceof Number n && Double.isFinite(n.doubleValue());
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    private static void check(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }
}
