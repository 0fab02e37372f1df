package io.flywheel.deploy.serving;

import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol v2 inference request: one named input per feature of the signature,
 * each with its values (one per row), e.g.
 * {@code {"id": "req-1", "inputs": [{"name": "age", "shape": [1], "datatype": "FP64", "data": [41]}]}}.
 */
public record InferRequest(String id, Map<String, Object> parameters, List<Input> inputs, List<RequestedOutput> outputs) {

    public record Input(String name, List<Long> shape, String datatype, Map<String, Object> parameters, List<Object> data) {
    }

    public record RequestedOutput(String name, Map<String, Object> parameters) {
    }
}
