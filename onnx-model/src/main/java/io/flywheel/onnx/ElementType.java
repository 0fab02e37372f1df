package io.flywheel.onnx;

/**
 * A tensor element type, numbered as ONNX's {@code TensorProto.DataType} (onnx.proto), with the
 * Open Inference Protocol v2 datatype name where v2 has one.
 */
public enum ElementType {
    UNDEFINED(0, null, "undefined"),
    FLOAT(1, "FP32", "float"),
    UINT8(2, "UINT8", "uint8"),
    INT8(3, "INT8", "int8"),
    UINT16(4, "UINT16", "uint16"),
    INT16(5, "INT16", "int16"),
    INT32(6, "INT32", "int32"),
    INT64(7, "INT64", "int64"),
    STRING(8, "BYTES", "string"),
    BOOL(9, "BOOL", "bool"),
    FLOAT16(10, "FP16", "float16"),
    DOUBLE(11, "FP64", "double"),
    UINT32(12, "UINT32", "uint32"),
    UINT64(13, "UINT64", "uint64"),
    COMPLEX64(14, null, "complex64"),
    COMPLEX128(15, null, "complex128"),
    BFLOAT16(16, "BF16", "bfloat16"),
    FLOAT8E4M3FN(17, null, "float8e4m3fn"),
    FLOAT8E4M3FNUZ(18, null, "float8e4m3fnuz"),
    FLOAT8E5M2(19, null, "float8e5m2"),
    FLOAT8E5M2FNUZ(20, null, "float8e5m2fnuz"),
    UINT4(21, null, "uint4"),
    INT4(22, null, "int4"),
    FLOAT4E2M1(23, null, "float4e2m1"),
    FLOAT8E8M0(24, null, "float8e8m0"),
    UINT2(25, null, "uint2"),
    INT2(26, null, "int2"),
    /** A number this library does not know (a newer ONNX than it was written for). */
    UNKNOWN(-1, null, "unknown");

    private static final ElementType[] BY_NUMBER = new ElementType[27];

    static {
        for (ElementType type : values()) {
            if (type.number >= 0) {
                BY_NUMBER[type.number] = type;
            }
        }
    }

    private final int number;
    private final String v2;
    private final String onnxName;

    ElementType(int number, String v2, String onnxName) {
        this.number = number;
        this.v2 = v2;
        this.onnxName = onnxName;
    }

    /** The type with this {@code TensorProto.DataType} number; {@link #UNKNOWN} for a number it does not know. */
    public static ElementType ofNumber(long number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[(int) number] : UNKNOWN;
    }

    /** The {@code TensorProto.DataType} number; -1 for {@link #UNKNOWN}. */
    public int number() {
        return number;
    }

    /** The Open Inference Protocol v2 datatype (FP32, INT64, BYTES, ...), or null where v2 has none. */
    public String v2Datatype() {
        return v2;
    }

    /** The name ONNX prints, as in {@code tensor(float)}. */
    public String onnxName() {
        return onnxName;
    }
}
