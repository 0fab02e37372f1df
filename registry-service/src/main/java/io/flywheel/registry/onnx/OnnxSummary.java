package io.flywheel.registry.onnx;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.flywheel.onnx.OnnxGraph;
import io.flywheel.onnx.ValueSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ONNX version's graph declares, as the registry stores it on the version ({@code onnx})
 * and returns it (docs/CONTRACTS.md "Model formats"): v2 datatypes, -1 for a symbolic axis, a
 * ZipMap output shown as the [n, classes] matrix ONNX Runtime's caller gets, with its class labels.
 * Names are snake_case in the database and in the API alike.
 */
public record OnnxSummary(
        @JsonProperty("ir_version") long irVersion,
        String producer,
        /* operator set domain (ai.onnx for the default one) → version */
        Map<String, Long> opsets,
        List<Value> inputs,
        List<Value> outputs) {

    /**
     * One input or output.
     *
     * @param shape  null when the graph declares none
     * @param labels a classifier's class columns (a ZipMap's labels), otherwise absent
     */
    public record Value(String name, String datatype, List<Long> shape,
                        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> labels) {
    }

    public static OnnxSummary of(OnnxGraph graph) {
        Map<String, Long> opsets = new LinkedHashMap<>();
        graph.opsets().forEach((domain, version) -> opsets.put(domain.isEmpty() ? "ai.onnx" : domain, version));
        List<Value> inputs = new ArrayList<>();
        for (ValueSpec input : graph.inputs()) {
            inputs.add(new Value(input.name(), input.v2Datatype(), input.shape(), null));
        }
        List<Value> outputs = new ArrayList<>();
        for (ValueSpec output : graph.outputs()) {
            List<String> labels = graph.zipMapLabels().get(output.name());
            if (output.isSequenceOfMaps()) {
                // ONNX Runtime's caller (onnx-model's OnnxModel) gets a ZipMap as an [n, classes] matrix
                String datatype = output.elementType() == null ? null : output.elementType().v2Datatype();
                List<Long> shape = labels == null ? null : List.of(-1L, (long) labels.size());
                outputs.add(new Value(output.name(), datatype, shape, labels));
            } else {
                outputs.add(new Value(output.name(), output.v2Datatype(), output.shape(), labels));
            }
        }
        return new OnnxSummary(graph.irVersion(), graph.producerName(), opsets, inputs, outputs);
    }
}
