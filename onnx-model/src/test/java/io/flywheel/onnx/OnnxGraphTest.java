package io.flywheel.onnx;

import static io.flywheel.onnx.ProtoModels.graph;
import static io.flywheel.onnx.ProtoModels.initializer;
import static io.flywheel.onnx.ProtoModels.intsAttribute;
import static io.flywheel.onnx.ProtoModels.mapType;
import static io.flywheel.onnx.ProtoModels.message;
import static io.flywheel.onnx.ProtoModels.model;
import static io.flywheel.onnx.ProtoModels.node;
import static io.flywheel.onnx.ProtoModels.sequenceType;
import static io.flywheel.onnx.ProtoModels.stringsAttribute;
import static io.flywheel.onnx.ProtoModels.tensorType;
import static io.flywheel.onnx.ProtoModels.tensorTypeNoShape;
import static io.flywheel.onnx.ProtoModels.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader on models written field by field; the framework-made models are read in FrameworkModelsTest. */
class OnnxGraphTest {

    private static final byte[] IDENTITY = ProtoModels.identity(9, Map.of("", 17L), ElementType.FLOAT, "batch", 3L);

    @Test
    void readsTheDeclarations() {
        OnnxGraph graph = OnnxGraph.read(IDENTITY);

        assertThat(graph.irVersion()).isEqualTo(9);
        assertThat(graph.producerName()).isEqualTo("flywheel-test");
        assertThat(graph.producerVersion()).isEqualTo("1");
        assertThat(graph.opsets()).containsExactly(Map.entry("", 17L));
        assertThat(graph.opset("ai.onnx")).contains(17L);
        assertThat(graph.opset("ai.onnx.ml")).isEmpty();
        assertThat(graph.inputs()).containsExactly(new ValueSpec("x", ValueSpec.Kind.TENSOR, ElementType.FLOAT,
                List.of(-1L, 3L), "tensor(float)[batch,3]", null));
        assertThat(graph.outputNames()).containsExactly("y");
        assertThat(graph.input("x").orElseThrow().v2Datatype()).isEqualTo("FP32");
        assertThat(graph.nodeDomains()).containsExactly("");
        assertThat(graph.externalData()).isFalse();
        assertThat(graph.zipMapLabels()).isEmpty();
    }

    @Test
    void initializersListedAsInputsAreNotInputs() {
        // IR 3 files list every weight among the graph's inputs too
        byte[] bytes = model(3, Map.of("", 9L), graph(
                List.of(node("Add", "", List.of("x", "w"), List.of("y"))),
                List.of(initializer("w", false, 1, 2, 3)),
                List.of(valueInfo("x", tensorType(ElementType.FLOAT, "N", 3L)),
                        valueInfo("w", tensorType(ElementType.FLOAT, 3L))),
                List.of(valueInfo("y", tensorType(ElementType.FLOAT, "N", 3L)))));

        assertThat(OnnxGraph.read(bytes).inputNames()).containsExactly("x");
    }

    @Test
    void readsEveryKindOfType() {
        byte[] zipMapType = sequenceType(mapType(ElementType.INT64, tensorTypeNoShape(ElementType.FLOAT)));
        byte[] bytes = model(8, Map.of("", 15L, "ai.onnx.ml", 3L), graph(
                List.of(),
                List.of(),
                List.of(valueInfo("scalar", tensorType(ElementType.DOUBLE)),
                        valueInfo("anyRank", tensorTypeNoShape(ElementType.STRING)),
                        valueInfo("unknownDim", tensorType(ElementType.BOOL, "", 2L)),
                        valueInfo("seq", sequenceType(tensorType(ElementType.INT64, "N"))),
                        valueInfo("map", mapType(ElementType.STRING, tensorTypeNoShape(ElementType.DOUBLE))),
                        valueInfo("untyped", null),
                        valueInfo("half", tensorType(ElementType.FLOAT16, 1L, 4L)),
                        valueInfo("future", message(out -> out.writeByteArray(1, message(t -> t.writeInt32(1, 99)))))),
                List.of(valueInfo("probabilities", zipMapType))));

        OnnxGraph graph = OnnxGraph.read(bytes);

        assertThat(graph.inputs()).extracting(ValueSpec::description).containsExactly("tensor(double)[]",
                "tensor(string)", "tensor(bool)[?,2]", "seq(tensor(int64)[N])", "map(string,tensor(double))",
                "undeclared", "tensor(float16)[1,4]", "tensor(unknown)");
        assertThat(graph.input("scalar").orElseThrow().shape()).isEmpty();
        assertThat(graph.input("anyRank").orElseThrow().shape()).isNull();
        assertThat(graph.input("anyRank").orElseThrow().v2Datatype()).isEqualTo("BYTES");
        assertThat(graph.input("unknownDim").orElseThrow().shape()).containsExactly(-1L, 2L);
        assertThat(graph.input("seq").orElseThrow())
                .isEqualTo(new ValueSpec("seq", ValueSpec.Kind.SEQUENCE, ElementType.INT64, List.of(-1L),
                        "seq(tensor(int64)[N])", null));
        assertThat(graph.input("map").orElseThrow())
                .isEqualTo(new ValueSpec("map", ValueSpec.Kind.MAP, ElementType.DOUBLE, null,
                        "map(string,tensor(double))", ElementType.STRING));
        assertThat(graph.input("untyped").orElseThrow().kind()).isEqualTo(ValueSpec.Kind.OTHER);
        assertThat(graph.input("half").orElseThrow().v2Datatype()).isEqualTo("FP16");
        assertThat(graph.input("future").orElseThrow().elementType()).isEqualTo(ElementType.UNKNOWN);
        ValueSpec probabilities = graph.outputs().getFirst();
        assertThat(probabilities.isSequenceOfMaps()).isTrue();
        assertThat(probabilities.keyType()).isEqualTo(ElementType.INT64);
        assertThat(probabilities.elementType()).isEqualTo(ElementType.FLOAT);
        assertThat(probabilities.description()).isEqualTo("seq(map(int64,tensor(float)))");
    }

    @Test
    void readsTheClassLabelsOfAZipMapInEitherForm() {
        byte[] intLabels = zipMapModel(intsAttribute("classlabels_int64s", 7, -1, 3));
        byte[] stringLabels = zipMapModel(stringsAttribute("classlabels_strings", "no", "yes"));

        assertThat(OnnxGraph.read(intLabels).zipMapLabels()).containsExactly(Map.entry("probs", List.of("7", "-1", "3")));
        assertThat(OnnxGraph.read(stringLabels).zipMapLabels()).containsExactly(Map.entry("probs", List.of("no", "yes")));
    }

    static byte[] zipMapModel(byte[] labels) {
        return model(8, new LinkedHashMap<>(Map.of("", 15L, "ai.onnx.ml", 1L)), graph(
                List.of(node("ZipMap", "ai.onnx.ml", List.of("x"), List.of("probs"), labels)),
                List.of(),
                List.of(valueInfo("x", tensorType(ElementType.FLOAT, "N", 3L))),
                List.of(valueInfo("probs", sequenceType(mapType(ElementType.INT64, tensorTypeNoShape(ElementType.FLOAT)))))));
    }

    @Test
    void seesWeightsKeptInExternalFiles() {
        byte[] bytes = model(8, Map.of("", 15L), graph(
                List.of(node("Add", "", List.of("x", "w"), List.of("y"))),
                List.of(initializer("w", true)),
                List.of(valueInfo("x", tensorType(ElementType.FLOAT, 3L))),
                List.of(valueInfo("y", tensorType(ElementType.FLOAT, 3L)))));

        assertThat(OnnxGraph.read(bytes).externalData()).isTrue();
    }

    @Test
    void skipsFieldsOfEveryWireTypeItDoesNotKnow() {
        byte[] bytes = ProtoModels.rewriteTopLevel(IDENTITY, 1, out -> {
            out.writeInt64(1, 9);
            out.writeFixed64(40, 123456789L);
            out.writeFixed32(41, 42);
            out.writeInt64(42, -1);
            out.writeByteArray(43, new byte[300]);
        });

        assertThat(OnnxGraph.read(bytes).inputs()).isEqualTo(OnnxGraph.read(IDENTITY).inputs());
    }

    @Test
    void anEmptyFileIsNoModel() {
        assertThatThrownBy(() -> OnnxGraph.read(new byte[0]))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("not an ONNX model: the file is empty");
    }

    @Test
    void randomBytesAreNoModel() {
        byte[] bytes = new byte[4096];
        new Random(42).nextBytes(bytes);

        assertThatThrownBy(() -> OnnxGraph.read(bytes))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("not an ONNX model: ");
    }

    @Test
    void otherFilesAreNoModel() {
        for (String text : List.of("{\"format\": \"flywheel-linear/v1\"}", "age,income\n41,52000\n", "PK\u0003\u0004zip")) {
            assertThatThrownBy(() -> OnnxGraph.read(text.getBytes(StandardCharsets.UTF_8)))
                    .as(text)
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageStartingWith("not an ONNX model: ");
        }
    }

    @Test
    void manyRandomFilesGiveOnlyInvalidModelException() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(200)];
            random.nextBytes(bytes);
            if (i % 2 == 0) {
                bytes[0] = 0x08; // as a real model starts: field 1, varint
            }
            try {
                OnnxGraph.read(bytes);
            } catch (InvalidModelException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void everyCutOfAModelGivesOnlyInvalidModelException() {
        for (int length = 1; length < IDENTITY.length; length++) {
            byte[] cut = Arrays.copyOf(IDENTITY, length);
            try {
                OnnxGraph graph = OnnxGraph.read(cut);
                // a cut at a field boundary after the graph and opset_import leaves a readable model
                assertThat(graph.opsets()).as("cut at %d", length).isNotEmpty();
            } catch (InvalidModelException expected) {
                assertThat(expected.getMessage()).as("cut at %d", length).isNotBlank();
            }
        }
    }

    @Test
    void aCutInsideTheGraphSaysTruncatedAndWhere() {
        byte[] cut = Arrays.copyOf(IDENTITY, IDENTITY.length - 30);

        assertThatThrownBy(() -> OnnxGraph.read(cut))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("truncated at byte " + cut.length + ": graph (from byte ")
                .hasMessageContaining("the file looks cut short");
    }

    @Test
    void aFileThatEndsAfterItsGraphSaysSo() {
        byte[] noOpsets = ProtoModels.rewriteTopLevel(IDENTITY, 8, out -> {
        });

        assertThatThrownBy(() -> OnnxGraph.read(noOpsets))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("truncated at byte " + noOpsets.length)
                .hasMessageContaining("imports no operator set");
    }

    @Test
    void groupsAndWrongWireTypesAreRefused() {
        byte[] group = ProtoModels.rewriteTopLevel(IDENTITY, 99, out -> {
            out.writeInt64(1, 9);
            out.writeTag(5, 3); // a start-group tag
        });
        byte[] stringIrVersion = ProtoModels.rewriteTopLevel(IDENTITY, 1, out -> {
            out.writeInt64(1, 9);
            out.writeString(1, "nine");
        });

        assertThatThrownBy(() -> OnnxGraph.read(group))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("field 5 is a protobuf group, which ONNX files never contain");
        assertThatThrownBy(() -> OnnxGraph.read(stringIrVersion))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("ir_version (field 1) has wire type 2, ONNX writes it with wire type 0");
    }

    @Test
    void aNestedLengthPastItsParentIsMalformed() {
        // graph of 4 bytes whose one field claims 10
        byte[] bytes = message(out -> {
            out.writeInt64(1, 8);
            out.writeByteArray(7, new byte[] {0x12, 0x0a, 'a', 'b'});
        });

        assertThatThrownBy(() -> OnnxGraph.read(bytes))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("not a valid ONNX model: malformed at byte")
                .hasMessageContaining("(in graph)")
                .hasMessageContaining("more than is left of the message that holds it");
    }

    @Test
    void aModelWithoutIrVersionIsNoModel() {
        byte[] bytes = ProtoModels.rewriteTopLevel(IDENTITY, 1, out -> {
        });

        assertThatThrownBy(() -> OnnxGraph.read(bytes))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("not an ONNX model: it has no ir_version (field 1)");
    }
}
