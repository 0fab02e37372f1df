package io.flywheel.retrain.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded synthetic churn data: {@code x1}, {@code x2} and {@code plan} decide the label ("yes"/"no")
 * through a logistic link; {@code noise} has nothing to do with it. A model on the real features
 * beats one on {@code noise} by far.
 */
public final class Rows {

    private Rows() {
    }

    /** Feature maps with their label (under "churned"). */
    public static List<Map<String, Object>> churn(int n, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            String plan = random.nextBoolean() ? "pro" : "basic";
            double noise = random.nextGaussian();
            double eta = 2.0 * x1 - 1.5 * x2 + ("pro".equals(plan) ? 0.7 : -0.3);
            boolean churned = random.nextDouble() < 1 / (1 + Math.exp(-eta));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("x1", x1);
            row.put("x2", x2);
            row.put("plan", plan);
            row.put("noise", noise);
            row.put("churned", churned ? "yes" : "no");
            rows.add(row);
        }
        return rows;
    }

    /** The features of a row (everything but the label). */
    public static Map<String, Object> features(Map<String, Object> row) {
        Map<String, Object> features = new LinkedHashMap<>(row);
        features.remove("churned");
        return features;
    }
}
