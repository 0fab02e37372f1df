package io.flywheel.monitor.window;

import io.flywheel.monitor.drift.CategoryDictionary;
import io.flywheel.monitor.drift.FeatureKind;
import io.flywheel.monitor.drift.Histogram;
import io.flywheel.monitor.drift.QuantileBins;
import io.flywheel.monitor.drift.Wasserstein;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fits a reference profile from a training sample given as columns: B quantile bin edges for each
 * numeric column, a dictionary plus "other" for each categorical one. A column's kind is the one
 * declared (e.g. by the model's signature), else numeric when every value is a number and
 * categorical when every value is a string or boolean; nulls are missing values and are skipped.
 */
public final class ReferenceFitter {

    private ReferenceFitter() {
    }

    /**
     * @param columns          column name → values, in column order
     * @param declared         column name → kind where known (may be empty)
     * @param predictionColumn the column holding the model's output (its reference for prediction drift), or null
     * @param exclude          columns to leave out (ids, timestamps)
     */
    public static ReferenceProfile fit(String model, int version, Map<String, List<Object>> columns,
                                       Map<String, FeatureKind> declared, String predictionColumn, Set<String> exclude,
                                       int bins, long nowMillis, String source) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("the reference sample has no columns");
        }
        if (predictionColumn != null && !columns.containsKey(predictionColumn)) {
            throw new IllegalArgumentException("prediction column '" + predictionColumn + "' is not in the sample; columns: "
                    + String.join(", ", columns.keySet()));
        }
        List<FeatureReference> features = new ArrayList<>();
        FeatureReference prediction = null;
        long rows = 0;
        for (var e : columns.entrySet()) {
            String name = e.getKey();
            if (exclude.contains(name)) {
                continue;
            }
            rows = Math.max(rows, e.getValue().size());
            FeatureReference f = fitColumn(name, e.getValue(), declared.get(name), bins);
            if (name.equals(predictionColumn)) {
                prediction = f;
            } else {
                features.add(f);
            }
        }
        return new ReferenceProfile(model, version, bins, features, prediction, rows, nowMillis, source);
    }

    public static FeatureReference fitColumn(String name, List<Object> values, FeatureKind declared, int bins) {
        List<Object> present = values.stream().filter(v -> v != null && !(v instanceof Double d && d.isNaN())).toList();
        if (present.isEmpty()) {
            throw new IllegalArgumentException("column '" + name + "' has no values");
        }
        FeatureKind kind = declared != null ? declared : kindOf(name, present);
        if (kind == FeatureKind.NUMERIC) {
            double[] x = new double[present.size()];
            for (int i = 0; i < x.length; i++) {
                if (!(present.get(i) instanceof Number n) || Double.isInfinite(n.doubleValue())) {
                    throw new IllegalArgumentException("column '" + name + "' is numeric, but row value "
                            + present.get(i) + " is not a finite number");
                }
                x[i] = n.doubleValue();
            }
            QuantileBins edges = QuantileBins.fromReference(x, bins);
            Histogram h = edges.histogram(x);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            Set<Double> distinct = new HashSet<>();
            for (double v : x) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                if (distinct.size() < 6) {
                    distinct.add(v + 0.0);
                }
            }
            return new FeatureReference(name, kind, edges.innerEdges(), null, h.counts(), x.length, distinct.size(),
                    sum / x.length, Wasserstein.populationStd(x), min, max);
        }
        List<String> categories = present.stream().map(Binner::categoryOf).toList();
        CategoryDictionary dictionary = CategoryDictionary.fromReference(categories);
        Histogram h = dictionary.histogram(categories);
        return new FeatureReference(name, kind, null, dictionary.categories(), h.counts(), categories.size(),
                Math.min(6, dictionary.size()), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private static FeatureKind kindOf(String name, List<Object> present) {
        boolean numbers = present.stream().allMatch(v -> v instanceof Number);
        if (numbers) {
            return FeatureKind.NUMERIC;
        }
        boolean scalars = present.stream().allMatch(v -> v instanceof String || v instanceof Boolean || v instanceof Number);
        if (!scalars) {
            throw new IllegalArgumentException("column '" + name + "' holds objects or lists: only numbers, strings "
                    + "and booleans can be monitored");
        }
        return FeatureKind.CATEGORICAL;
    }
}
