package io.flywheel.llm.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An evaluator spec's parameters, read with messages that say which parameter of which evaluator to fix. */
final class Params {

    private final String evaluator;
    private final Map<String, Object> values;

    Params(EvaluatorSpec spec, Set<String> known) {
        this.evaluator = spec.type() + (spec.name() == null || spec.name().isBlank() ? "" : " '" + spec.name() + "'");
        this.values = spec.params();
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw invalid("unknown parameter(s) " + unknown + "; " + spec.type() + " takes " + new TreeSet<>(known));
        }
    }

    IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException("evaluator " + evaluator + ": " + what);
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    boolean containsKey(String key) {
        return values.containsKey(key);
    }

    Object raw(String key) {
        return values.get(key);
    }

    boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw invalid("'" + key + "' must be true or false, not " + describe(v));
    }

    String string(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw invalid("'" + key + "' is required");
        }
        if (v instanceof String s && !s.isBlank()) {
            return s;
        }
        throw invalid("'" + key + "' must be a non-empty string, not " + describe(v));
    }

    String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    Double number(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw invalid("'" + key + "' must be a number, not " + describe(v));
    }

    double nonNegative(String key, double fallback) {
        Double v = number(key);
        if (v == null) {
            return fallback;
        }
        if (v < 0) {
            throw invalid("'" + key + "' must be 0 or more, not " + v);
        }
        return v;
    }

    List<String> strings(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> list && !list.isEmpty()) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String s) || s.isBlank()) {
                    throw invalid("'" + key + "' must be a list of non-empty strings; " + describe(o) + " is not one");
                }
                out.add(s);
            }
            return List.copyOf(out);
        }
        throw invalid("'" + key + "' must be a non-empty list of strings, not " + describe(v));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw invalid("'" + key + "' must be a JSON object, not " + describe(v));
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        return (v instanceof String s ? "\"" + s + "\"" : String.valueOf(v)) + " (" + v.getClass().getSimpleName() + ")";
    }
}
