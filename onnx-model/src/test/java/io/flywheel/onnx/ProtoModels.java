package io.flywheel.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Small ONNX models written field by field with {@link CodedOutputStream} (field numbers from
 * onnx.proto), for the cases the framework-made models in resources/onnx do not cover, and rewrites
 * of real model bytes.
 */
final class ProtoModels {

    private ProtoModels() {
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

    /** ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8 (domain 1, version 2). */
    static byte[] model(long irVersion, Map<String, Long> opsets, byte[] graph) {
        return message(out -> {
            out.writeInt64(1, irVersion);
            out.writeString(2, "flywheel-test");
            out.writeString(3, "1");
            out.writeByteArray(7, graph);
            for (Map.Entry<String, Long> opset : opsets.entrySet()) {
                out.writeByteArray(8, message(o -> {
                    o.writeString(1, opset.getKey());
                    o.writeInt64(2, opset.getValue());
                }));
            }
        });
    }

    /** GraphProto: node 1, name 2, initializer 5, input 11, output 12. */
    static byte[] graph(List<byte[]> nodes, List<byte[]> initializers, List<byte[]> inputs, List<byte[]> outputs) {
        return message(out -> {
            for (byte[] node : nodes) {
                out.writeByteArray(1, node);
            }
            out.writeString(2, "test_graph");
            for (byte[] initializer : initializers) {
                out.writeByteArray(5, initializer);
            }
            for (byte[] input : inputs) {
                out.writeByteArray(11, input);
            }
            for (byte[] output : outputs) {
                out.writeByteArray(12, output);
            }
        });
    }

    /** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7. */
    static byte[] node(String opType, String domain, List<String> inputs, List<String> outputs, byte[]... attributes) {
        return message(out -> {
            for (String input : inputs) {
                out.writeString(1, input);
            }
            for (String output : outputs) {
                out.writeString(2, output);
            }
            out.writeString(3, opType + "_" + outputs.getFirst());
            out.writeString(4, opType);
            for (byte[] attribute : attributes) {
                out.writeByteArray(5, attribute);
            }
            if (!domain.isEmpty()) {
                out.writeString(7, domain);
            }
        });
    }

    /** AttributeProto with ints (8, packed as proto3 writes repeated scalars) and type INTS (20 = 7). */
    static byte[] intsAttribute(String name, long... values) {
        return message(out -> {
            out.writeString(1, name);
            byte[] packed = message(o -> {
                for (long value : values) {
                    o.writeInt64NoTag(value);
                }
            });
            out.writeByteArray(8, packed);
            out.writeInt32(20, 7);
        });
    }

    /** AttributeProto with strings (9) and type STRINGS (20 = 8). */
    static byte[] stringsAttribute(String name, String... values) {
        return message(out -> {
            out.writeString(1, name);
            for (String value : values) {
                out.writeString(9, value);
            }
            out.writeInt32(20, 8);
        });
    }

    /** ValueInfoProto: name 1, type 2. */
    static byte[] valueInfo(String name, byte[] type) {
        return message(out -> {
            out.writeString(1, name);
            if (type != null) {
                out.writeByteArray(2, type);
            }
        });
    }

    /** TypeProto.tensor_type (1): elem_type 1, shape 2 of dims (a Long is dim_value, a String dim_param). */
    static byte[] tensorType(ElementType elementType, Object... dims) {
        return message(out -> out.writeByteArray(1, message(t -> {
            t.writeInt32(1, elementType.number());
            if (dims != null) {
                t.writeByteArray(2, message(s -> {
                    for (Object dim : dims) {
                        s.writeByteArray(1, message(d -> {
                            if (dim instanceof String param) {
                                d.writeString(2, param);
                            } else {
                                d.writeInt64(1, ((Number) dim).longValue());
                            }
                        }));
                    }
                }));
            }
        })));
    }

    /** A tensor type without a shape (any rank). */
    static byte[] tensorTypeNoShape(ElementType elementType) {
        return message(out -> out.writeByteArray(1, message(t -> t.writeInt32(1, elementType.number()))));
    }

    /** TypeProto.sequence_type (4): elem_type 1. */
    static byte[] sequenceType(byte[] element) {
        return message(out -> out.writeByteArray(4, message(s -> s.writeByteArray(1, element))));
    }

    /** TypeProto.map_type (5): key_type 1, value_type 2. */
    static byte[] mapType(ElementType key, byte[] value) {
        return message(out -> out.writeByteArray(5, message(m -> {
            m.writeInt32(1, key.number());
            m.writeByteArray(2, value);
        })));
    }

    /** TensorProto: dims 1, data_type 2, float_data 4 (packed), name 8, data_location 14. */
    static byte[] initializer(String name, boolean external, float... values) {
        return message(out -> {
            out.writeInt64(1, values.length);
            out.writeInt32(2, ElementType.FLOAT.number());
            byte[] packed = message(o -> {
                for (float value : values) {
                    o.writeFloatNoTag(value);
                }
            });
            out.writeByteArray(4, packed);
            out.writeString(8, name);
            if (external) {
                out.writeInt32(14, 1);
            }
        });
    }

    /** y = Identity(x) over a tensor of the given type and shape. */
    static byte[] identity(long irVersion, Map<String, Long> opsets, ElementType type, Object... dims) {
        return model(irVersion, opsets, graph(
                List.of(node("Identity", "", List.of("x"), List.of("y"))),
                List.of(),
                List.of(valueInfo("x", tensorType(type, dims))),
                List.of(valueInfo("y", tensorType(type, dims)))));
    }

    /** The same model with its ir_version (field 1) replaced: every other top-level field copied as it is. */
    static byte[] withIrVersion(byte[] model, long irVersion) {
        return rewriteTopLevel(model, 1, out -> out.writeInt64(1, irVersion));
    }

    /** The same model with every top-level {@code field} dropped and {@code replacement} written first. */
    static byte[] rewriteTopLevel(byte[] model, int field, Body replacement) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(model);
            List<byte[]> kept = new ArrayList<>();
            int tag;
            while (true) {
                int start = in.getTotalBytesRead();
                tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                in.skipField(tag);
                if (tag >>> 3 != field) {
                    kept.add(Arrays.copyOfRange(model, start, in.getTotalBytesRead()));
                }
            }
            return message(out -> {
                replacement.write(out);
                out.flush();
                for (byte[] raw : kept) {
                    out.writeRawBytes(raw);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
