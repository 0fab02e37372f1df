package io.flywheel.onnx;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an ONNX model declares about itself, read from its bytes without loading ONNX Runtime:
 * the file format and operator set versions, the producer, and the graph's inputs and outputs.
 * Cheap enough for an upload check (the weights are skipped, not copied).
 *
 * @param irVersion       {@code ModelProto.ir_version}, the file format version
 * @param producerName    the tool that wrote it ("pytorch", "skl2onnx", ...), "" when not given
 * @param producerVersion that tool's version, "" when not given
 * @param opsets          operator set domain → version, in file order, as the file spells the
 *                        domain ("" is the default ai.onnx domain; see {@link #opset(String)})
 * @param inputs          the graph's inputs, without initializers that old files list as inputs
 * @param outputs         the graph's outputs
 * @param nodeDomains     the operator set domains that the main graph's nodes use ("" for ai.onnx);
 *                        nodes inside subgraphs (If, Loop, Scan bodies) are not read
 * @param functionDomains the domains of the model-local functions (an exporter's own operator set
 *                        that the file defines itself, such as torch's {@code pkg.onnxscript...})
 * @param zipMapLabels    for each graph output written by a top-level ZipMap: its class labels in the
 *                        ZipMap's order (integer labels as decimal strings); empty for other models
 * @param externalData    whether some initializer keeps its data in a file beside the model
 *                        ({@code data_location = EXTERNAL}), which a model loaded from bytes cannot reach
 */
public record OnnxGraph(long irVersion, String producerName, String producerVersion, Map<String, Long> opsets,
        List<ValueSpec> inputs, List<ValueSpec> outputs, Set<String> nodeDomains, Set<String> functionDomains,
        Map<String, List<String>> zipMapLabels, boolean externalData) {

    public OnnxGraph {
        opsets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(opsets));
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        nodeDomains = Set.copyOf(nodeDomains);
        functionDomains = Set.copyOf(functionDomains);
        zipMapLabels = Map.copyOf(zipMapLabels);
    }

    /**
     * Reads a model's declarations.
     *
     * @throws InvalidModelException when the bytes are no ONNX model or are cut short; the message
     *                               says which (and at which byte) in words fit for the uploader
     */
    public static OnnxGraph read(byte[] bytes) {
        return ModelReader.read(bytes);
    }

    /**
     * Reads a model's declarations from a stream, to its end, in little memory whatever the model's
     * size: what is not kept (the weights) is passed over with {@link java.io.InputStream#skip}, so a
     * stream that skips without copying makes that part nearly free. The same checks and messages as
     * {@link #read(byte[])}, except that a field running past the end is found when the stream ends
     * inside it (the size is not known up front). Protobuf limits a file to 2 GiB. Does not close the stream.
     *
     * @throws InvalidModelException         when the bytes are no ONNX model or are cut short
     * @throws java.io.UncheckedIOException  when reading the stream fails
     */
    public static OnnxGraph read(java.io.InputStream in) {
        return ModelReader.read(java.util.Objects.requireNonNull(in, "in"));
    }

    /** The version imported for a domain, "" and "ai.onnx" being the same domain; empty when not imported. */
    public Optional<Long> opset(String domain) {
        for (Map.Entry<String, Long> entry : opsets.entrySet()) {
            if (OnnxSupport.canonicalDomain(entry.getKey()).equals(OnnxSupport.canonicalDomain(domain))) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    public Optional<ValueSpec> input(String name) {
        return inputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    public Optional<ValueSpec> output(String name) {
        return outputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    public List<String> inputNames() {
        return inputs.stream().map(ValueSpec::name).toList();
    }

    public List<String> outputNames() {
        return outputs.stream().map(ValueSpec::name).toList();
    }
}
