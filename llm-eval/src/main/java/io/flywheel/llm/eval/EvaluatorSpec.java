package io.flywheel.llm.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an evaluator is: its type ({@code exact_match}, {@code regex}, {@code json_schema},
 * {@code numeric_tolerance}, {@code string_similarity}, {@code llm_judge}), an optional name for its
 * scores (the type when null), and its parameters as JSON gives them. {@link Evaluators#create} reads it;
 * llm-eval/README.md lists every type's parameters.
 */
public record EvaluatorSpec(String type, String name, Map<String, Object> params) {

    public EvaluatorSpec {
        // a copy that keeps null values (JSON null is a value: json_schema's schema may be null)
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The name its scores carry: the spec's name, else its type. */
    public String scoreName() {
        return name == null || name.isBlank() ? type : name;
    }
}
