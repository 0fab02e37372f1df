package io.flywheel.retrain.llm.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Two or more runs of one dataset side by side: per item, each run's output and scores, the score
 * deltas and a line and word diff of each run's output against the first run's (the baseline); per run,
 * each evaluator's mean, the pass rate, tokens and latency, with the means' deltas against the baseline.
 * Items are those of the dataset that any run touched, in the dataset's order. Plain Java.
 */
public final class RunComparison {

    private RunComparison() {
    }

    /** A dataset item: its id, input and expected output as they are (any JSON value). */
    public record Item(String id, Object input, Object expectedOutput) {
    }

    /** A score as a run item holds it; {@code type} is NUMERIC, BOOLEAN or CATEGORICAL. */
    public record Score(String type, double value, String category) {
        boolean bool() {
            return "BOOLEAN".equals(type);
        }
    }

    /** One run's outcome for one item. */
    public record Outcome(String output, Map<String, Score> scores, Long latencyMs, Long totalTokens, String error) {
        public Outcome {
            scores = scores == null ? Map.of() : scores;
        }
    }

    /** A run by name, with its outcomes by item id. */
    public record Run(String name, Map<String, Outcome> outcomes) {
    }

    public record Result(List<String> runs, List<Summary> summaries, List<ItemComparison> items) {
    }

    /**
     * One run over the compared items: how many it has an outcome for, how many failed, each evaluator's
     * mean, the share of scored items whose every BOOLEAN score passed (null without boolean scores), tokens,
     * mean latency, and the means' deltas against the baseline (empty for the baseline itself).
     */
    public record Summary(String run, int items, int failed, Map<String, Double> meanScores, Double passRate, long totalTokens,
                          Double meanLatencyMs, Map<String, Double> meanScoreDeltas) {
    }

    /** One run's side of an item. */
    public record Side(String run, String output, Map<String, Score> scores, Long latencyMs, Long totalTokens, String error) {
    }

    /** One run's output against the baseline's. */
    public record OutputDiff(String run, String against, boolean differs, List<TextDiff.Op> lines, List<TextDiff.Op> words) {
    }

    /**
     * An item across the runs: {@code scoreDeltas} by run then score name (a run's value minus the
     * baseline's, where both have it), whether any run's output differs from the baseline's, and the diffs.
     */
    public record ItemComparison(String itemId, Object input, Object expectedOutput, List<Side> runs,
                                 Map<String, Map<String, Double>> scoreDeltas, boolean outputsDiffer, List<OutputDiff> diffs) {
    }

    public static Result compare(List<Item> datasetItems, List<Run> runs) {
        if (runs.size() < 2) {
            throw new IllegalArgumentException("a comparison needs at least two runs");
        }
        Set<String> touched = new LinkedHashSet<>();
        runs.forEach(r -> touched.addAll(r.outcomes().keySet()));
        Map<String, Item> byId = new LinkedHashMap<>();
        datasetItems.forEach(i -> byId.put(i.id(), i));
        List<Item> items = new ArrayList<>();
        for (Item i : datasetItems) {
            if (touched.contains(i.id())) {
                items.add(i);
            }
        }
        // items a run touched that the dataset no longer has (deleted since) still compare, without input
        for (String id : touched) {
            if (!byId.containsKey(id)) {
                items.add(new Item(id, null, null));
            }
        }

        Run baseline = runs.getFirst();
        List<ItemComparison> compared = new ArrayList<>();
        for (Item item : items) {
            List<Side> sides = new ArrayList<>();
            for (Run r : runs) {
                Outcome o = r.outcomes().get(item.id());
                sides.add(o == null ? new Side(r.name(), null, Map.of(), null, null, "no outcome in this run")
                        : new Side(r.name(), o.output(), o.scores(), o.latencyMs(), o.totalTokens(), o.error()));
            }
            Outcome base = baseline.outcomes().get(item.id());
            Map<String, Map<String, Double>> deltas = new LinkedHashMap<>();
            List<OutputDiff> diffs = new ArrayList<>();
            boolean differs = false;
            for (Run r : runs.subList(1, runs.size())) {
                Outcome o = r.outcomes().get(item.id());
                Map<String, Double> d = new LinkedHashMap<>();
                if (base != null && o != null) {
                    for (var e : o.scores().entrySet()) {
                        Score b = base.scores().get(e.getKey());
                        if (b != null && !"CATEGORICAL".equals(b.type()) && !"CATEGORICAL".equals(e.getValue().type())) {
                            d.put(e.getKey(), e.getValue().value() - b.value());
                        }
                    }
                }
                deltas.put(r.name(), d);
                String a = base == null ? null : base.output();
                String b = o == null ? null : o.output();
                boolean differ = !Objects.equals(a, b);
                differs |= differ;
                diffs.add(new OutputDiff(r.name(), baseline.name(), differ, TextDiff.lines(text(a), text(b)), TextDiff.words(text(a), text(b))));
            }
            compared.add(new ItemComparison(item.id(), item.input(), item.expectedOutput(), sides, deltas, differs, diffs));
        }

        List<Summary> summaries = new ArrayList<>();
        Map<String, Double> baseMeans = null;
        for (Run r : runs) {
            Summary s = summary(r, items, baseMeans);
            if (baseMeans == null) {
                baseMeans = s.meanScores();
            }
            summaries.add(s);
        }
        return new Result(runs.stream().map(Run::name).toList(), summaries, compared);
    }

    private static Summary summary(Run run, List<Item> items, Map<String, Double> baseMeans) {
        int count = 0;
        int failed = 0;
        int scored = 0;
        int withBoolean = 0;
        int passed = 0;
        long tokens = 0;
        long latencySum = 0;
        int latencies = 0;
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Item item : items) {
            Outcome o = run.outcomes().get(item.id());
            if (o == null) {
                continue;
            }
            count++;
            if (o.error() != null) {
                failed++;
                continue;
            }
            if (o.totalTokens() != null) {
                tokens += o.totalTokens();
            }
            if (o.latencyMs() != null) {
                latencySum += o.latencyMs();
                latencies++;
            }
            if (!o.scores().isEmpty()) {
                scored++;
            }
            boolean anyBoolean = false;
            boolean allPass = true;
            for (var e : o.scores().entrySet()) {
                Score s = e.getValue();
                if (!"CATEGORICAL".equals(s.type())) {
                    double[] sum = sums.computeIfAbsent(e.getKey(), k -> new double[2]);
                    sum[0] += s.value();
                    sum[1]++;
                }
                if (s.bool()) {
                    anyBoolean = true;
                    allPass &= s.value() >= 0.5;
                }
            }
            if (anyBoolean) {
                withBoolean++;
                if (allPass) {
                    passed++;
                }
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        sums.forEach((name, sum) -> means.put(name, sum[0] / sum[1]));
        Map<String, Double> deltas = new LinkedHashMap<>();
        if (baseMeans != null) {
            means.forEach((name, mean) -> {
                Double base = baseMeans.get(name);
                if (base != null) {
                    deltas.put(name, mean - base);
                }
            });
        }
        return new Summary(run.name(), count, failed, means, withBoolean == 0 ? null : (double) passed / withBoolean, tokens,
                latencies == 0 ? null : (double) latencySum / latencies, deltas);
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
