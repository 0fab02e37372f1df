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

    /**
     * One output tensor, its data flat in row-major order. {@code parameters} carry what the tensor
     * alone does not say, e.g. a classifier's class labels ({@code labels}) for its probability columns.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(String name, List<Integer> shape, String datatype, Map<String, Object> parameters, List<?> data) {

        public Output(String name, List<Integer> shape, String datatype, List<?> data) {
            this(name, shape, datatype, null, data);
        }
    }
}
