package io.flywheel.monitor.llm.score;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a score config must be, on create and after a patch (Langfuse's rules): a name of 1 to 35
 * characters; a data type of NUMERIC, BOOLEAN, CATEGORICAL or TEXT; a range only on NUMERIC, finite,
 * with min below max; categories only on CATEGORICAL, at least one, labels and values unique.
 * BOOLEAN configs get Langfuse's fixed categories (0 "False", 1 "True").
 */
public final class ScoreConfigRules {

    public static final int MAX_NAME = 35;
    public static final Set<String> DATA_TYPES = Set.of("NUMERIC", "BOOLEAN", "CATEGORICAL", "TEXT");
    public static final List<ScoreConfig.Category> BOOLEAN_CATEGORIES = List.of(
            new ScoreConfig.Category(0, "False"), new ScoreConfig.Category(1, "True"));

    /** A config as asked for: any field may be missing or wrong. */
    public record Draft(String name, String dataType, List<ScoreConfig.Category> categories, Double minValue, Double maxValue,
                        String description) {
    }

    private ScoreConfigRules() {
    }

    /** The problems of a draft, each a sentence; empty when it is a valid config. */
    public static List<String> problems(Draft d) {
        List<String> out = new ArrayList<>();
        if (d.name() == null || d.name().isBlank()) {
            out.add("name is required");
        } else if (d.name().length() > MAX_NAME) {
            out.add("name must be at most " + MAX_NAME + " characters, was " + d.name().length());
        }
        if (d.dataType() == null || !DATA_TYPES.contains(d.dataType())) {
            out.add("dataType must be one of [BOOLEAN, CATEGORICAL, NUMERIC, TEXT], was " + d.dataType());
            return out;
        }
        boolean numeric = "NUMERIC".equals(d.dataType());
        if (!numeric && (d.minValue() != null || d.maxValue() != null)) {
            out.add("minValue and maxValue apply only to NUMERIC configs");
        }
        if (numeric) {
            if (d.minValue() != null && !Double.isFinite(d.minValue()) || d.maxValue() != null && !Double.isFinite(d.maxValue())) {
                out.add("minValue and maxValue must be finite numbers");
            } else if (d.minValue() != null && d.maxValue() != null && d.minValue() >= d.maxValue()) {
                out.add("minValue (" + d.minValue() + ") must be below maxValue (" + d.maxValue() + ")");
            }
        }
        if ("CATEGORICAL".equals(d.dataType())) {
            categoryProblems(d.categories(), out);
        } else if (d.categories() != null && !d.categories().isEmpty() && !"BOOLEAN".equals(d.dataType())) {
            out.add("categories apply only to CATEGORICAL configs");
        }
        return out;
    }

    private static void categoryProblems(List<ScoreConfig.Category> categories, List<String> out) {
        if (categories == null || categories.isEmpty()) {
            out.add("a CATEGORICAL config needs at least one category");
            return;
        }
        Set<String> labels = new HashSet<>();
        Set<Double> values = new HashSet<>();
        for (ScoreConfig.Category c : categories) {
            if (c == null || c.label() == null || c.label().isBlank()) {
                out.add("every category needs a label");
                continue;
            }
            if (!Double.isFinite(c.value())) {
                out.add("category '" + c.label() + "' needs a finite value");
            }
            if (!labels.add(c.label())) {
                out.add("category label '" + c.label() + "' appears twice");
            }
            if (!values.add(c.value())) {
                out.add("category value " + c.value() + " appears twice");
            }
        }
    }

    /** The categories a valid draft's config keeps: BOOLEAN's fixed pair, CATEGORICAL's own, else none. */
    public static List<ScoreConfig.Category> categoriesOf(Draft d) {
        return switch (d.dataType()) {
            case "BOOLEAN" -> BOOLEAN_CATEGORIES;
            case "CATEGORICAL" -> List.copyOf(d.categories());
            default -> List.of();
        };
    }
}
