package io.flywheel.deploy.serving;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol v2 inference response. {@code model_version} is the version that
 * answered; {@code parameters} add the environment and the version's role (primary or canary).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferResponse(String modelName, String modelVersion, String id, Map<String, Object> parameters,
                            List<Output> outputs) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(String name, List<Integer> shape, String datatype, List<?> data) {
    }
}
