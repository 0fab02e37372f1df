package io.flywheel.onnx;

import java.util.List;

/**
 * One graph input or output as the model declares it.
 *
 * @param name        the value's name, which {@link OnnxModel#run} keys inputs and outputs by
 * @param kind        tensor, sequence, map or anything else (optional, sparse, opaque, undeclared)
 * @param elementType TENSOR: its element type. SEQUENCE: the element type of its tensors, or of its
 *                    maps' values for a sequence of maps. MAP: the type of its values. OTHER: null
 * @param shape       TENSOR (or a sequence of tensors): one entry per axis, -1 where the axis is
 *                    symbolic ({@code dim_param}, such as a batch axis) or unknown; null when the
 *                    model declares no shape at all (any rank). Empty for a scalar. Null for maps
 * @param description the type as ONNX prints it, symbolic axes by name, e.g.
 *                    {@code tensor(float)[N,30]} or {@code seq(map(int64,tensor(float)))}
 * @param keyType     MAP, or SEQUENCE of maps (a ZipMap output): the key type; otherwise null
 */
public record ValueSpec(String name, Kind kind, ElementType elementType, List<Long> shape, String description,
        ElementType keyType) {

    public enum Kind {
        TENSOR, SEQUENCE, MAP, OTHER
    }

    public ValueSpec {
        shape = shape == null ? null : List.copyOf(shape);
    }

    /** The v2 datatype of a tensor's elements (FP32, INT64, ...), or null when it is no tensor or v2 has none. */
    public String v2Datatype() {
        return kind == Kind.TENSOR && elementType != null ? elementType.v2Datatype() : null;
    }

    /** Whether this is what a ZipMap produces: a sequence of maps (one map of class to score per row). */
    public boolean isSequenceOfMaps() {
        return kind == Kind.SEQUENCE && keyType != null;
    }

    /** The rank, or -1 when the model declares no shape. */
    public int rank() {
        return shape == null ? -1 : shape.size();
    }
}
