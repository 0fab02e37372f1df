package io.flywheel.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** {@link OnnxGraph#read(InputStream)}: the same answers as from an array, in small memory. */
class OnnxGraphStreamTest {

    private static final byte[] IDENTITY = ProtoModels.identity(9, Map.of("", 17L), ElementType.FLOAT, "batch", 3L);

    static List<FrameworkModels.Case> models() {
        return FrameworkModels.all().toList();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyFrameworkModelReadsAsFromAnArray(FrameworkModels.Case model) {
        assertThat(OnnxGraph.read(new ByteArrayInputStream(model.bytes()))).isEqualTo(OnnxGraph.read(model.bytes()));
    }

    @Test
    void theWeightsAreSkippedNotRead() throws IOException {
        // a 64 MB initializer between the inputs and the outputs
        float[] weights = new float[16 * 1024 * 1024];
        byte[] model = ProtoModels.model(8, Map.of("", 17L), ProtoModels.graph(
                List.of(ProtoModels.node("Add", "", List.of("x", "w"), List.of("y"))),
                List.of(ProtoModels.initializer("w", false, weights)),
                List.of(ProtoModels.valueInfo("x", ProtoModels.tensorType(ElementType.FLOAT, "N", 3L))),
                List.of(ProtoModels.valueInfo("y", ProtoModels.tensorType(ElementType.FLOAT, "N", 3L)))));
        Counting stream = new Counting(new ByteArrayInputStream(model));

        OnnxGraph graph = OnnxGraph.read(stream);

        assertThat(graph).isEqualTo(OnnxGraph.read(model));
        assertThat(stream.skipped + stream.read).isEqualTo(model.length);
        // only the buffer around the weights is copied; the 64 MB are skipped
        assertThat(stream.read).isLessThan(256 * 1024);
    }

    @Test
    void anEmptyStreamIsNoModel() {
        assertThatThrownBy(() -> OnnxGraph.read(InputStream.nullInputStream()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("not an ONNX model: the file is empty");
    }

    @Test
    void otherFilesAreNoModel() {
        for (String text : List.of("{\"format\": \"flywheel-linear/v1\"}", "age,income\n41,52000\n")) {
            assertThatThrownBy(() -> OnnxGraph.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
                    .as(text)
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageStartingWith("not an ONNX model: ");
        }
    }

    @Test
    void aCutInsideTheGraphSaysTruncatedAtTheEndOfTheStream() {
        byte[] cut = Arrays.copyOf(IDENTITY, IDENTITY.length - 30);

        assertThatThrownBy(() -> OnnxGraph.read(new ByteArrayInputStream(cut)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("truncated at byte " + cut.length + " (in graph")
                .hasMessageContaining("the file looks cut short");
    }

    @Test
    void everyCutIsReadOrRefusedAsFromAnArray() {
        byte[] model = FrameworkModels.get("typed_inputs").bytes();
        for (int length = 1; length < model.length; length++) {
            byte[] cut = Arrays.copyOf(model, length);
            OnnxGraph fromArray = null;
            try {
                fromArray = OnnxGraph.read(cut);
            } catch (InvalidModelException refused) {
                assertThatThrownBy(() -> OnnxGraph.read(new ByteArrayInputStream(cut))).as("cut at %d", length)
                        .isInstanceOf(InvalidModelException.class)
                        .hasMessageStartingWith(refused.getMessage().substring(0, 12)); // same kind: not ONNX, truncated, malformed
            }
            if (fromArray != null) {
                assertThat(OnnxGraph.read(new ByteArrayInputStream(cut))).as("cut at %d", length).isEqualTo(fromArray);
            }
        }
    }

    @Test
    void aHugeNameIsRefusedBeforeItIsRead() {
        // producer_name declaring 100 MB: read whole it would be allocated; the stream holds 10 bytes of it
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeInt64(1, 8);
            out.writeTag(2, 2);
            out.writeUInt32NoTag(100_000_000);
            out.writeRawBytes("pytorch...".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        assertThatThrownBy(() -> OnnxGraph.read(new ByteArrayInputStream(bytes.toByteArray())))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("producer_name declares 100000000 bytes of text");
    }

    @Test
    void aFailingStreamIsAnIoError() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> OnnxGraph.read(failing)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("connection reset");
    }

    private static final class Counting extends FilterInputStream {
        long read;
        long skipped;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            skipped += s;
            return s;
        }
    }
}
