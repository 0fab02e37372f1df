package io.flywheel.onnx;

import static io.flywheel.onnx.ProtoModels.graph;
import static io.flywheel.onnx.ProtoModels.initializer;
import static io.flywheel.onnx.ProtoModels.model;
import static io.flywheel.onnx.ProtoModels.node;
import static io.flywheel.onnx.ProtoModels.sequenceType;
import static io.flywheel.onnx.ProtoModels.tensorType;
import static io.flywheel.onnx.ProtoModels.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OnnxSupportTest {

    private static final Map<String, Long> OPSET_17 = Map.of("", 17L);

    /** ONNX Runtime's own word on what it reads: the error it gives one past each limit. */
    @Test
    void theLimitsAreTheRuntimesOwn() {
        assertThat(OrtEnvironment.getEnvironment().getVersion()).isEqualTo(OnnxSupport.RUNTIME_VERSION);

        String ir = ortRefusal(ProtoModels.identity(OnnxSupport.MAX_IR_VERSION + 1, OPSET_17, ElementType.FLOAT, 1L));
        assertThat(number(ir, "max supported IR version: (\\d+)")).isEqualTo(OnnxSupport.MAX_IR_VERSION);

        for (Map.Entry<String, Long> max : OnnxSupport.MAX_OPSETS.entrySet()) {
            Map<String, Long> opsets = new LinkedHashMap<>(OPSET_17);
            opsets.put(max.getKey(), max.getValue() + 1);
            String refusal = ortRefusal(ProtoModels.identity(10, opsets, ElementType.FLOAT, 1L));
            assertThat(number(refusal, "Current official support for domain \\S+ is till opset (\\d+)"))
                    .as(max.getKey()).isEqualTo(max.getValue());
        }

        Map<String, Long> atTheLimits = new LinkedHashMap<>(OnnxSupport.MAX_OPSETS);
        byte[] newest = ProtoModels.identity(OnnxSupport.MAX_IR_VERSION, atTheLimits, ElementType.FLOAT, 1L);
        assertThat(OnnxSupport.problems(OnnxGraph.read(newest))).isEmpty();
        try (OnnxModel model = OnnxModel.load(newest)) {
            assertThat(model.run(Map.of("x", Tensor.fp32(new float[] {2.5f}, 1))).get("y").value(0)).isEqualTo(2.5);
        }
    }

    private static String ortRefusal(byte[] bytes) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = OrtEnvironment.getEnvironment().createSession(bytes, options)) {
            throw new AssertionError("ONNX Runtime loaded a model past its limits");
        } catch (OrtException e) {
            return e.getMessage();
        }
    }

    private static long number(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void aModelWithinTheLimitsIsSupported() {
        OnnxGraph graph = OnnxGraph.read(ProtoModels.identity(8, OPSET_17, ElementType.DOUBLE, "N", 4L));

        assertThat(OnnxSupport.problems(graph)).isEmpty();
        assertThat(OnnxSupport.supported(graph)).isTrue();
    }

    @Test
    void aNewerIrVersionIsReported() {
        byte[] ir99 = ProtoModels.withIrVersion(ProtoModels.identity(8, OPSET_17, ElementType.FLOAT, 1L), 99);

        assertThat(OnnxGraph.read(ir99).irVersion()).isEqualTo(99);
        assertThat(OnnxSupport.problems(OnnxGraph.read(ir99))).containsExactly(
                "the file is ONNX IR version 99, ONNX Runtime 1.29.0 reads IR versions up to 13 (export with an older"
                        + " exporter, or lower the model's ir_version with the onnx package)");
    }

    @Test
    void newerOperatorSetsAreReported() {
        Map<String, Long> opsets = new LinkedHashMap<>();
        opsets.put("ai.onnx", 27L);
        opsets.put("ai.onnx.ml", 6L);
        OnnxGraph graph = OnnxGraph.read(ProtoModels.identity(10, opsets, ElementType.FLOAT, 1L));

        assertThat(OnnxSupport.problems(graph)).containsExactly(
                "it imports operator set ai.onnx version 27, ONNX Runtime 1.29.0 implements up to version 26"
                        + " (export with opset 26 or lower)",
                "it imports operator set ai.onnx.ml version 6, ONNX Runtime 1.29.0 implements up to version 5"
                        + " (export with opset 5 or lower)");
    }

    @Test
    void anOperatorOfAnotherDomainIsReportedUnlessTheModelDefinesIt() {
        Map<String, Long> opsets = new LinkedHashMap<>(OPSET_17);
        opsets.put("com.acme", 1L);
        byte[] custom = model(8, opsets, graph(
                List.of(node("Frobnicate", "com.acme", List.of("x"), List.of("y"))),
                List.of(),
                List.of(valueInfo("x", tensorType(ElementType.FLOAT, 3L))),
                List.of(valueInfo("y", tensorType(ElementType.FLOAT, 3L)))));
        byte[] importedOnly = ProtoModels.identity(8, opsets, ElementType.FLOAT, 3L);
        byte[] definedByTheModel = ProtoModels.rewriteTopLevel(custom, 99, out -> out.writeByteArray(25,
                ProtoModels.message(f -> {
                    f.writeString(1, "Frobnicate");
                    f.writeString(10, "com.acme");
                })));

        assertThat(OnnxSupport.problems(OnnxGraph.read(custom))).containsExactly(
                "its operators of domain 'com.acme' (version 1) are not implemented by ONNX Runtime, which runs"
                        + " ai.onnx, ai.onnx.ml and com.microsoft operators, and functions that the model defines itself");
        assertThat(OnnxSupport.problems(OnnxGraph.read(importedOnly))).isEmpty();
        assertThat(OnnxGraph.read(definedByTheModel).functionDomains()).containsExactly("com.acme");
        assertThat(OnnxSupport.problems(OnnxGraph.read(definedByTheModel))).isEmpty();
    }

    @Test
    void inputsCallersCannotFeedAreReported() {
        byte[] bytes = model(8, OPSET_17, graph(
                List.of(),
                List.of(),
                List.of(valueInfo("half", tensorType(ElementType.FLOAT16, "N", 3L)),
                        valueInfo("bytes", tensorType(ElementType.UINT8, "N")),
                        valueInfo("seq", sequenceType(tensorType(ElementType.FLOAT, 3L))),
                        valueInfo("fine", tensorType(ElementType.INT32, "N"))),
                List.of(valueInfo("y", tensorType(ElementType.FLOAT, 3L)))));

        assertThat(OnnxSupport.problems(OnnxGraph.read(bytes))).containsExactly(
                "input 'half' is a tensor(float16)[N,3]; callers can send tensors of FP32, FP64, INT64, INT32,"
                        + " BOOL or BYTES (string) only",
                "input 'bytes' is a tensor(uint8)[N]; callers can send tensors of FP32, FP64, INT64, INT32,"
                        + " BOOL or BYTES (string) only",
                "input 'seq' is a seq(tensor(float)[3]); callers can send tensors only");
    }

    @Test
    void noInputsExternalWeightsAndUnreturnableOutputsAreReported() {
        byte[] bytes = model(8, OPSET_17, graph(
                List.of(),
                List.of(initializer("w", true)),
                List.of(),
                List.of(valueInfo("w", tensorType(ElementType.FLOAT, 3L)),
                        valueInfo("sequence", sequenceType(tensorType(ElementType.FLOAT, 3L))))));

        assertThat(OnnxSupport.problems(OnnxGraph.read(bytes))).containsExactly(
                "its weights are kept in separate external data files, which a model uploaded as one file cannot"
                        + " reach (save it as a single file: onnx.save_model(model, path, save_as_external_data=False),"
                        + " possible below 2 GB)",
                "the graph has no inputs, so there is nothing to send it",
                "output 'sequence' is a seq(tensor(float)[3]), which cannot be returned as a tensor");
    }

    @Test
    void loadRefusesWhatCannotBeServedWithEveryReason() {
        Map<String, Long> opsets = new LinkedHashMap<>(OPSET_17);
        opsets.put("", 30L);
        byte[] bytes = ProtoModels.identity(99, opsets, ElementType.FLOAT16, 3L);

        assertThatThrownBy(() -> OnnxModel.load(bytes))
                .isInstanceOfSatisfying(InvalidModelException.class, e -> assertThat(e.problems()).hasSize(3))
                .hasMessageStartingWith("ONNX Runtime 1.29.0 cannot serve this model: the file is ONNX IR version 99")
                .hasMessageContaining("; it imports operator set ai.onnx version 30")
                .hasMessageContaining("; input 'x' is a tensor(float16)[3]");
    }
}
