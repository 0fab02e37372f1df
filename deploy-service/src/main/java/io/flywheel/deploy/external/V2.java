package io.flywheel.deploy.external;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol v2 (REST) messages deploy exchanges with an external endpoint, and
 * the JSON mapper for them (snake_case field names, as the protocol writes them; unknown fields
 * ignored, absent ones left out).
 */
public final class V2 {

    private V2() {
    }

    /** One tensor: {@code data} flat in row-major order. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tensor(String name, String datatype, List<Long> shape, List<Object> data, Map<String, Object> parameters) {
    }

    /** A declared input or output of model metadata; -1 for a variable axis. */
    public record TensorSpec(String name, String datatype, List<Long> shape) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InferRequest(String id, Map<String, Object> parameters, List<Tensor> inputs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InferResponse(String modelName, String modelVersion, String id, Map<String, Object> parameters,
                                List<Tensor> outputs) {
    }

    public record ModelMetadata(String name, List<String> versions, String platform, List<TensorSpec> inputs,
                                List<TensorSpec> outputs) {
    }

    /** The protocol's error body ({@code {"error": "..."}}). */
    public record Error(String error) {
    }

    /** A mapper for these messages (thread-safe, shared). */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
}
