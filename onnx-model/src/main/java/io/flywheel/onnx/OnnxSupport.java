package io.flywheel.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether ONNX Runtime {@value #RUNTIME_VERSION} (CPU), as {@link OnnxModel} runs it, can serve a model:
 * pure logic over an {@link OnnxGraph}, no native code, so a registry can check an upload before
 * anything loads it.
 */
public final class OnnxSupport {

    public static final String RUNTIME_VERSION = "1.29.0";

    /*
     * The limits of ONNX Runtime 1.29.0, as its own native library states them. It refuses a file whose
     * ir_version is above that of the ONNX it is built with ("Unsupported model IR version: 14, max
     * supported IR version: 13", onnxruntime/core/graph/model.cc), and a release build refuses an
     * operator set above the last released one ("Opset 27 is under development ... Current official
     * support for domain ai.onnx is till opset 26", model_load_utils.h, under the session option
     * session.allow_released_opsets_only, on by default). Those messages from the 1.29.0 jar give
     * IR 13, ai.onnx 26, ai.onnx.ml 5, com.microsoft 1; OnnxSupportTest asks the runtime again on every
     * build, so a version bump that moves them fails there. They are ONNX 1.21's numbers in ONNX's
     * release table (onnx/onnx docs/Versioning.md: 1.21.0 | IR 13 | ai.onnx 26 | ai.onnx.ml 5).
     * onnxruntime.ai's compatibility page and docs/Versioning.md in the ORT repository stop listing
     * versions long before 1.29, so the runtime is the source.
     */
    public static final long MAX_IR_VERSION = 13;

    /** The highest version of each operator set domain that the runtime implements ("" is ai.onnx). */
    public static final Map<String, Long> MAX_OPSETS = Map.of("", 26L, "ai.onnx.ml", 5L, "com.microsoft", 1L);

    /** The v2 datatypes a caller (deploy's v2 endpoint, retrain's evaluation) can feed: the {@link Tensor} types. */
    public static final Set<String> FEEDABLE_DATATYPES = Set.of(Tensor.FP32, Tensor.FP64, Tensor.INT64, Tensor.INT32,
            Tensor.BOOL, Tensor.BYTES);

    private OnnxSupport() {
    }

    /** Every reason the model cannot be served, in words for the uploader; empty when it can be. */
    public static List<String> problems(OnnxGraph graph) {
        List<String> problems = new ArrayList<>();
        if (graph.irVersion() > MAX_IR_VERSION) {
            problems.add("the file is ONNX IR version " + graph.irVersion() + ", ONNX Runtime " + RUNTIME_VERSION
                    + " reads IR versions up to " + MAX_IR_VERSION
                    + " (export with an older exporter, or lower the model's ir_version with the onnx package)");
        }
        graph.opsets().forEach((domain, version) -> {
            String canonical = canonicalDomain(domain);
            Long max = MAX_OPSETS.get(canonical);
            String shown = canonical.isEmpty() ? "ai.onnx" : canonical;
            if (max == null) {
                // ONNX Runtime loads a model that imports a domain it does not know as long as no node
                // uses it (checked against 1.29.0); a node of an unknown domain fails unless the model
                // defines that domain's functions itself (torch's pkg.onnxscript.torch_lib, for one)
                if (graph.nodeDomains().contains(domain) && !graph.functionDomains().contains(domain)) {
                    problems.add("its operators of domain '" + shown + "' (version " + version
                            + ") are not implemented by ONNX Runtime, which runs ai.onnx, ai.onnx.ml and"
                            + " com.microsoft operators, and functions that the model defines itself");
                }
            } else if (version > max) {
                problems.add("it imports operator set " + shown + " version " + version + ", ONNX Runtime "
                        + RUNTIME_VERSION + " implements up to version " + max + " (export with opset " + max
                        + " or lower)");
            }
        });
        if (graph.externalData()) {
            problems.add("its weights are kept in separate external data files, which a model uploaded as one file"
                    + " cannot reach (save it as a single file: onnx.save_model(model, path,"
                    + " save_as_external_data=False), possible below 2 GB)");
        }
        if (graph.inputs().isEmpty()) {
            problems.add("the graph has no inputs, so there is nothing to send it");
        }
        for (ValueSpec input : graph.inputs()) {
            String datatype = input.v2Datatype();
            if (input.kind() != ValueSpec.Kind.TENSOR) {
                problems.add("input '" + input.name() + "' is a " + input.description()
                        + "; callers can send tensors only");
            } else if (datatype == null || !FEEDABLE_DATATYPES.contains(datatype)) {
                problems.add("input '" + input.name() + "' is a " + input.description()
                        + "; callers can send tensors of FP32, FP64, INT64, INT32, BOOL or BYTES (string) only");
            }
        }
        for (ValueSpec output : graph.outputs()) {
            if (!OnnxModel.canConvert(output)) {
                problems.add("output '" + output.name() + "' is a " + output.description()
                        + ", which cannot be returned as a tensor");
            }
        }
        return List.copyOf(problems);
    }

    public static boolean supported(OnnxGraph graph) {
        return problems(graph).isEmpty();
    }

    /** "ai.onnx" and "" name the same (default) operator set. */
    static String canonicalDomain(String domain) {
        return domain.equals("ai.onnx") ? "" : domain;
    }
}
