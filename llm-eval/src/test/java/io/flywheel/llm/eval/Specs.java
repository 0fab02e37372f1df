package io.flywheel.llm.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds evaluators from specs as a run would, and cases to score. */
final class Specs {

    private Specs() {
    }

    static Evaluator evaluator(String type, Object... keyValues) {
        return Evaluators.create(new EvaluatorSpec(type, null, params(keyValues)), null);
    }

    static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put((String) keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    static EvalCase output(String output, String expected) {
        return new EvalCase("the question", output, expected, Map.of());
    }
}
