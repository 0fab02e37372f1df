package io.flywheel.linear;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Not a test (surefire runs *Test classes only): prints the latency of one prediction of a
 * 20-feature logistic model (17 number, 1 integer, 1 boolean, 1 string of 4 categories), on the
 * array path and the map path, as the median over runs of the mean over 1,000,000 calls.
 *
 * <pre>
 * ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -pl linear-model
 * java -cp linear-model/target/test-classes:linear-model/target/classes:$(cat linear-model/target/cp.txt) \
 *     io.flywheel.linear.PredictLatencyBench
 * </pre>
 */
public final class PredictLatencyBench {

    private static final int CALLS = 1_000_000;
    private static final int RUNS = 9;
    private static final String[] CATEGORIES = {"a", "b", "c", "d"};

    public static void main(String[] args) {
        Random random = new Random(1);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            double eta = 0;
            for (int f = 0; f < 17; f++) {
                double x = random.nextGaussian() * (f + 1) + 10 * f;
                row.put("x" + f, x);
                eta += (f % 3 - 1) * 0.3 * (x - 10 * f) / (f + 1);
            }
            long count = random.nextInt(10);
            boolean flag = random.nextBoolean();
            String category = CATEGORIES[random.nextInt(4)];
            row.put("count", count);
            row.put("flag", flag);
            row.put("kind", category);
            eta += 0.2 * (count - 5) + (flag ? 0.5 : -0.5) + (category.equals("a") ? 1 : 0);
            row.put("label", random.nextDouble() < 1 / (1 + Math.exp(-eta)));
            rows.add(row);
        }
        Dataset data = Dataset.of(rows);
        LinearModel model = LinearModel.fromJson(Trainer.train(data,
                TrainingParams.of(Task.BINARY_CLASSIFICATION, "label").withHoldout(0, 1), Instant.EPOCH, null)
                .model().toJson());
        System.out.println("model: " + model + ", " + model.artifact().coefficients().size() + " coefficients");

        int pool = 1024;
        List<Map<String, Object>> maps = new ArrayList<>();
        double[][] arrays = new double[pool][model.featureCount()];
        for (int i = 0; i < pool; i++) {
            Map<String, Object> input = new HashMap<>(rows.get(i));
            input.remove("label");
            maps.add(input);
            model.encode(input, arrays[i]);
        }

        double[] arrayNs = new double[RUNS];
        double[] mapNs = new double[RUNS];
        double[] predictNs = new double[RUNS];
        double sink = 0;
        for (int warmup = 0; warmup < 3; warmup++) {
            sink += arrayPath(model, arrays) + mapPath(model, maps) + predictPath(model, maps);
        }
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            sink += arrayPath(model, arrays);
            arrayNs[run] = (System.nanoTime() - start) / (double) CALLS;
            start = System.nanoTime();
            sink += mapPath(model, maps);
            mapNs[run] = (System.nanoTime() - start) / (double) CALLS;
            start = System.nanoTime();
            sink += predictPath(model, maps);
            predictNs[run] = (System.nanoTime() - start) / (double) CALLS;
        }
        System.out.printf("score(double[])  median %.1f ns/prediction, runs %s%n", median(arrayNs), round(arrayNs));
        System.out.printf("score(Map)       median %.1f ns/prediction, runs %s%n", median(mapNs), round(mapNs));
        System.out.printf("predict(Map)     median %.1f ns/prediction, runs %s%n", median(predictNs), round(predictNs));
        System.out.println("(checksum " + sink + ")");
    }

    private static double arrayPath(LinearModel model, double[][] inputs) {
        double sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += model.score(inputs[i & (inputs.length - 1)]);
        }
        return sum;
    }

    private static double mapPath(LinearModel model, List<Map<String, Object>> inputs) {
        double sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += model.score(inputs.get(i & (inputs.size() - 1)));
        }
        return sum;
    }

    private static double predictPath(LinearModel model, List<Map<String, Object>> inputs) {
        double sum = 0;
        for (int i = 0; i < CALLS; i++) {
            Prediction prediction = model.predict(inputs.get(i & (inputs.size() - 1)));
            sum += prediction.score();
        }
        return sum;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String round(double[] values) {
        return Arrays.toString(Arrays.stream(values).map(v -> Math.round(v * 10) / 10.0).toArray());
    }
}
