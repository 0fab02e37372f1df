package io.flywheel.registry.onnx;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * ONNX files for the registry's tests: the framework-made models copied from onnx-model's test
 * resources (each with its {@code .expected.json}), and small or very large hand-written ones
 * (protobuf written field by field, numbers from onnx/onnx.in.proto).
 */
public final class OnnxFiles {

    private OnnxFiles() {
    }

    public static byte[] resource(String name) {
        try {
            return Files.readAllBytes(Path.of(OnnxFiles.class.getClassLoader().getResource("onnx/" + name).toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** y = Identity(x), x and y float [N, 3], with the given IR version and operator sets. */
    public static byte[] identity(long irVersion, Map<String, Long> opsets) {
        Parts parts = new Parts(irVersion, opsets, 0);
        return concat(parts.head, parts.tail);
    }

    /**
     * The same model with an unused float initializer {@code w} of {@code weightBytes} bytes of raw
     * data, generated as it is read: a file of any size that never exists in memory or on disk.
     */
    public static LargeModel large(long weightBytes) {
        return new LargeModel(new Parts(8, Map.of("", 17L), weightBytes), weightBytes);
    }

    public record LargeModel(Parts parts, long weightBytes) {
        public long size() {
            return parts.head.length + weightBytes + parts.tail.length;
        }

        /** A fresh stream of the whole file (zeros as weights). */
        public InputStream open() {
            return new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(parts.head),
                    zeros(weightBytes), new ByteArrayInputStream(parts.tail))));
        }
    }

    /** The file up to the initializer's raw data (head), and after it (tail). */
    public static final class Parts {
        final byte[] head;
        final byte[] tail;

        Parts(long irVersion, Map<String, Long> opsets, long weightBytes) {
            byte[] node = message(out -> {
                out.writeString(1, "x");
                out.writeString(2, "y");
                out.writeString(4, "Identity");
            });
            byte[] input = valueInfo("x");
            byte[] output = valueInfo("y");
            // TensorProto: dims 1, data_type 2 (FLOAT), name 8, raw_data 9
            byte[] initializerHead = message(out -> {
                out.writeInt64(1, weightBytes / 4);
                out.writeInt32(2, 1);
                out.writeString(8, "w");
                out.writeTag(9, 2);
                out.writeUInt64NoTag(weightBytes);
            });
            long initializerSize = initializerHead.length + weightBytes;
            byte[] graphHead = message(out -> {
                out.writeByteArray(1, node);
                out.writeString(2, "g");
                if (weightBytes > 0) {
                    out.writeTag(5, 2);
                    out.writeUInt64NoTag(initializerSize);
                }
            });
            byte[] graphTail = message(out -> {
                out.writeByteArray(11, input);
                out.writeByteArray(12, output);
            });
            long graphSize = graphHead.length + (weightBytes > 0 ? initializerSize : 0) + graphTail.length;
            byte[] modelHead = message(out -> {
                out.writeInt64(1, irVersion);
                out.writeString(2, "flywheel-registry-test");
                out.writeTag(7, 2);
                out.writeUInt64NoTag(graphSize);
            });
            byte[] opsetImports = message(out -> {
                for (Map.Entry<String, Long> opset : opsets.entrySet()) {
                    out.writeByteArray(8, message(o -> {
                        o.writeString(1, opset.getKey());
                        o.writeInt64(2, opset.getValue());
                    }));
                }
            });
            this.head = weightBytes > 0 ? concat(modelHead, graphHead, initializerHead) : concat(modelHead, graphHead);
            this.tail = concat(graphTail, opsetImports);
        }
    }

    private static byte[] valueInfo(String name) {
        byte[] dimN = message(out -> out.writeString(2, "N"));
        byte[] dim3 = message(out -> out.writeInt64(1, 3));
        byte[] shape = message(out -> {
            out.writeByteArray(1, dimN);
            out.writeByteArray(1, dim3);
        });
        byte[] tensor = message(out -> {
            out.writeInt32(1, 1);
            out.writeByteArray(2, shape);
        });
        byte[] type = message(out -> out.writeByteArray(1, tensor));
        return message(out -> {
            out.writeString(1, name);
            out.writeByteArray(2, type);
        });
    }

    private static InputStream zeros(long size) {
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                return 0;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(bytes, offset, offset + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }

    interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
