package io.flywheel.registry.onnx;

import io.flywheel.registry.Feature;
import io.flywheel.registry.ModelRejectedException;
import io.flywheel.registry.Signature;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inspector fed as an upload feeds it: chunks on the uploading thread, then the end. */
class OnnxUploadInspectorTest {

    private static void feed(OnnxUploadInspector inspector, byte[] bytes, int chunk) {
        for (int at = 0; at < bytes.length; at += chunk) {
            inspector.update(bytes, at, Math.min(chunk, bytes.length - at));
        }
    }

    @Test
    void readsTheGraphOfAModelAsItStreamsPast() {
        byte[] model = OnnxFiles.resource("bench_trees20.onnx");
        try (OnnxUploadInspector inspector = new OnnxUploadInspector(null)) {
            feed(inspector, model, 1000);
            inspector.finish();

            assertThat(inspector.graph().inputNames()).containsExactly("float_input");
            assertThat(inspector.graph().outputNames()).containsExactly("label", "probabilities");
        }
    }

    @Test
    void aFileThatIsNotOnnxIsRefusedWhileItIsStillArriving() {
        byte[] json = "{\"format\": \"flywheel-linear/v1\", \"weights\": [1, 2, 3]}".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        try (OnnxUploadInspector inspector = new OnnxUploadInspector(null)) {
            assertThatThrownBy(() -> {
                feed(inspector, json, 100);
                inspector.finish();
            }).isInstanceOf(ModelRejectedException.class).hasMessageStartingWith("not an ONNX model: ");
        }
    }

    @Test
    void aCutFileIsRefusedAtTheEnd() {
        byte[] model = OnnxFiles.resource("credit_torch_mlp.onnx");
        try (OnnxUploadInspector inspector = new OnnxUploadInspector(null)) {
            feed(inspector, Arrays.copyOf(model, model.length / 2), 64);
            assertThatThrownBy(inspector::finish).isInstanceOf(ModelRejectedException.class)
                    .hasMessageStartingWith("truncated at byte " + model.length / 2);
        }
    }

    @Test
    void aModelOnnxRuntimeCannotServeIsRefusedWithEveryReason() {
        byte[] model = OnnxFiles.identity(99, Map.of("", 99L));
        try (OnnxUploadInspector inspector = new OnnxUploadInspector(null)) {
            feed(inspector, model, 7);
            assertThatThrownBy(inspector::finish).isInstanceOf(ModelRejectedException.class)
                    .hasMessageStartingWith("ONNX Runtime 1.29.0 cannot serve this model: ")
                    .hasMessageContaining("IR version 99")
                    .hasMessageContaining("operator set ai.onnx version 99");
        }
    }

    @Test
    void aSignatureThatDoesNotFitIsRefusedAtTheEnd() {
        byte[] model = OnnxFiles.identity(8, Map.of("", 17L));
        Signature twoFeatures = new Signature(List.of(new Feature("a", "number"), new Feature("b", "number")),
                new Feature("y", "number"));
        try (OnnxUploadInspector inspector = new OnnxUploadInspector(twoFeatures)) {
            feed(inspector, model, 10);
            assertThatThrownBy(inspector::finish).isInstanceOf(ModelRejectedException.class)
                    .hasMessageContaining("takes 3 features per row, the signature names 2");
        }
    }

    @Test
    void closingBeforeTheEndLeavesNoParserWaiting() throws Exception {
        byte[] model = OnnxFiles.resource("bench_trees20.onnx");
        OnnxUploadInspector inspector = new OnnxUploadInspector(null);
        inspector.update(model, 0, 1000);
        inspector.close(); // the upload broke off

        assertThatThrownBy(inspector::graph).isInstanceOf(IllegalStateException.class);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!inspector.parserFinished() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(inspector.parserFinished()).isTrue();
    }
}
