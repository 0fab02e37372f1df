package io.flywheel.linear;

import io.flywheel.linear.ModelArtifact.Feature;
import io.flywheel.linear.ModelArtifact.Target;
import io.flywheel.linear.ModelArtifact.Training;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.Variance;

/**
 * The reference trainer: logistic regression (binary classification) and linear regression,
 * both with an L2 penalty on the weights (not the intercept), on standardised features.
 *
 * <p>Encoding, from the training rows only: number, integer and boolean (0/1) features become
 * {@code (x − mean)/std} with the population std (ddof = 0); string features become one 0/1
 * column per category seen (sorted), not standardised. An encoded column that is constant in the
 * training rows (std 0, or a category present in every row) is left out of the fit and gets
 * coefficient 0. Deterministic: the same rows, parameters and {@code trainedAt} give a
 * byte-identical artifact.
 */
public final class Trainer {

    private Trainer() {
    }

    /**
     * The outcome of {@link #train}: the model, and the split it was fitted and is to be
     * evaluated on (the holdout is empty when {@code holdout_fraction} is 0).
     */
    public record Result(LinearModel model, Dataset train, Dataset holdout) {
    }

    /**
     * Splits {@code data} by the parameters' holdout fraction and seed ({@link Dataset#split}),
     * fits on the train part and returns the model with both parts. Bad data or parameters are
     * IllegalArgumentExceptions whose message names the column and line.
     *
     * @param trainedAt recorded in the artifact (null leaves it out)
     * @param progress  receives one line per step; may be null
     */
    public static Result train(Dataset data, TrainingParams params, Instant trainedAt, Consumer<String> progress) {
        Consumer<String> log = progress == null ? line -> { } : progress;
        List<String> features = featureColumns(data, params);
        List<String> used = new ArrayList<>(features);
        used.add(params.target());
        for (int i = 0; i < data.size(); i++) {
            Map<String, Object> row = data.rows().get(i);
            for (String column : used) {
                if (row.get(column) == null) {
                    throw new IllegalArgumentException(data.locate(i) + ": column '" + column + "' is empty");
                }
            }
        }
        Target target = target(data, params);
        Dataset.Split split = data.split(params.holdoutFraction(), params.seed());
        Dataset train = split.train();
        log.accept(String.format(Locale.ROOT, "split %d rows: %d to train, %d held out (holdout_fraction %s, seed %d)",
                data.size(), train.size(), split.holdout().size(), params.holdoutFraction(), params.seed()));

        int n = train.size();
        List<Feature> described = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        List<Boolean> kept = new ArrayList<>();
        for (String name : features) {
            FeatureType type = data.type(name);
            if (type == FeatureType.STRING) {
                TreeSet<String> categories = new TreeSet<>();
                for (Map<String, Object> row : train.rows()) {
                    categories.add((String) row.get(name));
                }
                described.add(Feature.categorical(name, List.copyOf(categories)));
                for (String category : categories) {
                    double[] column = new double[n];
                    int count = 0;
                    for (int i = 0; i < n; i++) {
                        if (category.equals(train.rows().get(i).get(name))) {
                            column[i] = 1.0;
                            count++;
                        }
                    }
                    columns.add(column);
                    kept.add(count > 0 && count < n);
                }
            } else {
                double[] x = new double[n];
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    x[i] = numeric(train.rows().get(i).get(name));
                    min = Math.min(min, x[i]);
                    max = Math.max(max, x[i]);
                }
                if (min == max) {
                    described.add(Feature.scaled(name, type, min, 0.0));
                    columns.add(new double[n]);
                    kept.add(false);
                    log.accept("feature '" + name + "' is constant (" + min + ") in the training rows: coefficient 0");
                } else {
                    double mean = new Mean().evaluate(x);
                    double std = Math.sqrt(new Variance(false).evaluate(x, mean));
                    for (int i = 0; i < n; i++) {
                        x[i] = (x[i] - mean) / std;
                    }
                    described.add(Feature.scaled(name, type, mean, std));
                    columns.add(x);
                    kept.add(true);
                }
            }
        }

        int k = (int) kept.stream().filter(b -> b).count();
        double[][] design = new double[n][k + 1];
        for (int i = 0; i < n; i++) {
            design[i][0] = 1.0;
        }
        int c = 1;
        for (int j = 0; j < columns.size(); j++) {
            if (kept.get(j)) {
                double[] column = columns.get(j);
                for (int i = 0; i < n; i++) {
                    design[i][c] = column[i];
                }
                c++;
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            Object value = train.rows().get(i).get(params.target());
            y[i] = params.task() == Task.REGRESSION ? numeric(value) : (target.isPositive(value) ? 1.0 : 0.0);
        }
        if (params.task() == Task.BINARY_CLASSIFICATION) {
            double positives = 0;
            for (double v : y) {
                positives += v;
            }
            if (positives == 0 || positives == n) {
                throw new IllegalArgumentException("the training rows hold only one class of target '"
                        + params.target() + "' (" + Values.render(positives == 0 ? target.negativeLabel()
                        : target.positiveLabel()) + "); use more rows or a smaller holdout_fraction");
            }
        }

        log.accept(String.format(Locale.ROOT, "fitting %s on %d rows, %d features (%d encoded columns), l2 %s",
                params.task() == Task.REGRESSION ? "linear regression" : "logistic regression", n,
                features.size(), k, params.l2()));
        Solver.Fit fit = params.task() == Task.REGRESSION
                ? Solver.ridge(design, y, params.l2())
                : Solver.logistic(design, y, params.l2(), params.maxIterations(), params.tolerance(), log);

        List<Double> coefficients = new ArrayList<>(columns.size());
        c = 1;
        for (Boolean keep : kept) {
            coefficients.add(keep ? fit.beta()[c++] : 0.0);
        }
        Training training = new Training(n, split.holdout().size(), params.holdoutFraction(), params.seed(),
                data.source(), fit.iterations(), fit.converged(), fit.objective());
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT, params.task(), described, fit.beta()[0],
                coefficients, target, params.task() == Task.BINARY_CLASSIFICATION ? params.threshold() : null,
                params.l2(), trainedAt, training);
        log.accept(String.format(Locale.ROOT, "fitted: objective %.12g, %d iteration(s), %s", fit.objective(),
                fit.iterations(), fit.converged() ? "converged" : "NOT converged"));
        return new Result(LinearModel.of(artifact), train, split.holdout());
    }

    private static List<String> featureColumns(Dataset data, TrainingParams params) {
        String target = params.target();
        if (!data.columns().contains(target)) {
            throw new IllegalArgumentException("target column '" + target + "' is not in the dataset (columns: "
                    + String.join(", ", data.columns()) + ")");
        }
        List<String> features;
        if (params.features() != null) {
            features = params.features();
            for (String feature : features) {
                if (!data.columns().contains(feature)) {
                    throw new IllegalArgumentException("feature column '" + feature
                            + "' is not in the dataset (columns: " + String.join(", ", data.columns()) + ")");
                }
            }
        } else {
            features = data.columns().stream().filter(column -> !column.equals(target)).toList();
            if (features.isEmpty()) {
                throw new IllegalArgumentException("the dataset has no columns besides the target '" + target + "'");
            }
        }
        return features;
    }

    private static Target target(Dataset data, TrainingParams params) {
        String name = params.target();
        FeatureType type = data.type(name);
        if (params.task() == Task.REGRESSION) {
            if (type == null || !type.isNumeric()) {
                throw new IllegalArgumentException("target '" + name + "' must be numeric for regression; it holds "
                        + type + " values");
            }
            return Target.numeric(name);
        }
        List<Object> labels = new ArrayList<>();
        for (Map<String, Object> row : data.rows()) {
            Object value = row.get(name);
            if (labels.stream().noneMatch(label -> Values.same(label, value))) {
                labels.add(value);
                if (labels.size() > 2) {
                    throw new IllegalArgumentException("target '" + name + "' has more than two values ("
                            + labels.stream().map(Values::render).reduce((x, z) -> x + ", " + z).orElse("")
                            + ", …); binary-classification needs exactly two");
                }
            }
        }
        if (labels.size() < 2) {
            throw new IllegalArgumentException("target '" + name + "' has a single value ("
                    + Values.render(labels.getFirst()) + "); binary-classification needs two");
        }
        labels.sort(Values::compare);
        Object positive = labels.get(1);
        Object negative = labels.get(0);
        if (params.positiveLabel() != null) {
            Object wanted = params.positiveLabel();
            if (Values.same(wanted, labels.get(0))) {
                positive = labels.get(0);
                negative = labels.get(1);
            } else if (!Values.same(wanted, labels.get(1))) {
                throw new IllegalArgumentException("positive_label " + Values.render(wanted) + " is not a value of target '"
                        + name + "' (its values: " + Values.render(labels.get(0)) + ", " + Values.render(labels.get(1)) + ")");
            }
        }
        return new Target(name, positive, negative);
    }

    private static double numeric(Object value) {
        return switch (value) {
            case Boolean b -> b ? 1.0 : 0.0;
            case Number number -> number.doubleValue();
            default -> throw new IllegalStateException("not numeric: " + value);
        };
    }
}
