package io.flywheel.retrain.llm.experiment.interim;

import java.util.Map;

/** INTERIM stand-in for llm-eval's EvaluatorSpec (see package-info). */
public record EvaluatorSpec(String type, String name, Map<String, Object> params) {

    public EvaluatorSpec {
        params = params == null ? Map.of() : params;
    }

    public String scoreName() {
        return name == null || name.isBlank() ? type : name;
    }
}
