package io.flywheel.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a ModelProto field by field with {@link CodedInputStream}, without generated classes (field
 * numbers from onnx/onnx.in.proto), keeping only what {@link OnnxGraph} holds. Everything else is
 * skipped, the weights included, so a large model costs little more than a pass over its bytes.
 * One stream over the whole file, nested messages bounded by push/popLimit, so every position in an
 * error message is an offset in the file.
 */
final class ModelReader {

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int START_GROUP = 3;
    private static final int END_GROUP = 4;
    private static final int FIXED32 = 5;

    /** Nesting of TypeProto (seq(map(k, seq(...)))) that a sane model never approaches; bounds recursion. */
    private static final int MAX_TYPE_DEPTH = 32;

    /**
     * The longest name, domain or label read: real ones are short, and a string is read whole, so a
     * corrupt length must not make the reader allocate what a stream has not even delivered.
     */
    static final int MAX_STRING_BYTES = 1 << 20;

    private final CodedInputStream in;
    /** The file's size, or -1 while a stream is read whose size is known only at its end. */
    private final int size;
    /** How many bytes a stream has delivered so far (its size, once it has ended); null for an array. */
    private final CountingStream stream;
    /** Where we are, for messages: "graph", "graph.input 'x'". */
    private final Deque<String> path = new ArrayDeque<>();
    /** The end of the message being read (the file's size at the top), and how deeply it is nested. */
    private int end;
    private int nesting;
    /** Once a plausible ir_version was read, failures are called damage (truncated, malformed), not "not ONNX". */
    private boolean looksLikeOnnx;

    private ModelReader(byte[] bytes) {
        this.in = CodedInputStream.newInstance(bytes);
        this.size = bytes.length;
        this.end = bytes.length;
        this.stream = null;
    }

    private ModelReader(CountingStream stream) {
        this.in = CodedInputStream.newInstance(stream, 65536);
        this.size = -1;
        // the file's end is not known: a field that runs past it is found when the stream ends inside it
        this.end = Integer.MAX_VALUE;
        this.stream = stream;
    }

    static OnnxGraph read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidModelException("not an ONNX model: the file is empty");
        }
        ModelReader reader = new ModelReader(bytes);
        try {
            return reader.model();
        } catch (Failure failure) {
            throw new InvalidModelException(reader.describe(failure), failure.getCause());
        }
    }

    /**
     * Reads from a stream, skipping what it does not keep (with {@link InputStream#skip}, which a
     * stream may implement without copying), so memory stays small whatever the file's size. Files
     * are limited to 2 GiB, as protobuf limits every message. The caller closes the stream.
     */
    static OnnxGraph read(InputStream input) {
        ModelReader reader = new ModelReader(new CountingStream(input));
        try {
            if (reader.in.isAtEnd()) {
                throw new InvalidModelException("not an ONNX model: the file is empty");
            }
            return reader.model();
        } catch (Failure failure) {
            throw new InvalidModelException(reader.describe(failure), failure.getCause());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
            throw e;
        }
    }

    /** The file's size: known up front for an array, for a stream the bytes it delivered (all of them once it ended). */
    private int fileSize() {
        return stream == null ? size : (int) Math.min(Integer.MAX_VALUE, stream.count);
    }

    /** Counts what passes, skipped bytes included, so a stream's size is known once it ends. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = in.read(bytes, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            if (skipped > 0) {
                count += skipped;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    // ---- ModelProto -------------------------------------------------------------------------

    private OnnxGraph model() {
        Long irVersion = null;
        String producerName = "";
        String producerVersion = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        Set<String> functionDomains = new LinkedHashSet<>();
        GraphParts graph = null;
        int tag;
        while ((tag = tag()) != 0) {
            switch (field(tag)) {
                case 1 -> {
                    irVersion = varint(tag, "ir_version");
                    looksLikeOnnx = irVersion >= 1 && irVersion <= 1000;
                }
                case 2 -> producerName = string(tag, "producer_name");
                case 3 -> producerVersion = string(tag, "producer_version");
                case 7 -> {
                    if (graph != null) {
                        throw malformed("the model has two graphs (field 7 twice)");
                    }
                    graph = message(tag, "graph", this::graph);
                }
                case 8 -> message(tag, "opset_import", () -> opsetImport(opsets));
                case 25 -> message(tag, "functions", () -> function(functionDomains));
                default -> skip(tag);
            }
        }
        if (irVersion == null) {
            throw new Failure(Failure.Kind.NOT_ONNX, 0, "it has no ir_version (field 1), which every ONNX model has");
        }
        if (irVersion < 1) {
            throw new Failure(Failure.Kind.NOT_ONNX, 0, "its ir_version is " + irVersion + "; ONNX numbers them from 1");
        }
        if (graph == null) {
            throw new Failure(Failure.Kind.NOT_ONNX, fileSize(),
                    "it has no graph (field 7); a file cut short before its graph looks like this too");
        }
        // IR 3 (ONNX 1.0) made opset_import mandatory; a serializer writes it after the graph, so a
        // file without it is most likely one that ends right after its graph
        if (opsets.isEmpty() && irVersion >= 3) {
            throw new Failure(Failure.Kind.TRUNCATED, fileSize(),
                    "the model imports no operator set (opset_import, field 8, follows the graph: the file may be cut short)");
        }
        GraphParts parts = graph;
        List<ValueSpec> inputs = parts.inputs.stream()
                .filter(input -> !parts.initializerNames.contains(input.name()))
                .toList();
        Map<String, List<String>> zipMapLabels = new LinkedHashMap<>();
        parts.zipMapLabels.forEach((output, labels) -> {
            if (parts.outputs.stream().anyMatch(spec -> spec.name().equals(output))) {
                zipMapLabels.put(output, labels);
            }
        });
        return new OnnxGraph(irVersion, producerName, producerVersion, opsets, inputs, parts.outputs,
                parts.nodeDomains, functionDomains, zipMapLabels, parts.externalData);
    }

    /** OperatorSetIdProto: domain 1, version 2. A later import of the same domain wins, as in ORT. */
    private Void opsetImport(Map<String, Long> opsets) {
        String domain = "";
        long version = 0;
        int tag;
        while ((tag = tag()) != 0) {
            switch (field(tag)) {
                case 1 -> domain = string(tag, "domain");
                case 2 -> version = varint(tag, "version");
                default -> skip(tag);
            }
        }
        opsets.put(domain, version);
        return null;
    }

    /** FunctionProto: only its domain (10), which makes that opset domain one the model defines itself. */
    private Void function(Set<String> domains) {
        int tag;
        while ((tag = tag()) != 0) {
            if (field(tag) == 10) {
                domains.add(string(tag, "domain"));
            } else {
                skip(tag);
            }
        }
        return null;
    }

    // ---- GraphProto -------------------------------------------------------------------------

    private static final class GraphParts {
        final List<ValueSpec> inputs = new ArrayList<>();
        final List<ValueSpec> outputs = new ArrayList<>();
        final Set<String> initializerNames = new HashSet<>();
        final Set<String> nodeDomains = new LinkedHashSet<>();
        final Map<String, List<String>> zipMapLabels = new LinkedHashMap<>();
        boolean externalData;
    }

    private GraphParts graph() {
        GraphParts graph = new GraphParts();
        int tag;
        while ((tag = tag()) != 0) {
            switch (field(tag)) {
                case 1 -> message(tag, "node", () -> node(graph));
                case 5 -> message(tag, "initializer", () -> initializer(graph));
                case 15 -> message(tag, "sparse_initializer", () -> sparseInitializer(graph));
                case 11 -> graph.inputs.add(message(tag, "input", this::valueInfo));
                case 12 -> graph.outputs.add(message(tag, "output", this::valueInfo));
                default -> skip(tag);
            }
        }
        return graph;
    }

    /** TensorProto: name 8, data_location 14 (1 = EXTERNAL). The data itself is skipped. */
    private Void initializer(GraphParts graph) {
        int tag;
        while ((tag = tag()) != 0) {
            switch (field(tag)) {
                case 8 -> graph.initializerNames.add(string(tag, "name"));
                case 14 -> graph.externalData |= varint(tag, "data_location") == 1;
                default -> skip(tag);
            }
        }
        return null;
    }

    /** SparseTensorProto: its values (1) are a TensorProto that carries the name. */
    private Void sparseInitializer(GraphParts graph) {
        int tag;
        while ((tag = tag()) != 0) {
            if (field(tag) == 1) {
                message(tag, "values", () -> initializer(graph));
            } else {
                skip(tag);
            }
        }
        return null;
    }

    /**
     * NodeProto: output 2, op_type 4, attribute 5, domain 7. Only a ZipMap's class labels are kept:
     * its output maps come back from ONNX Runtime as hash maps, so their column order must come from here.
     */
    private Void node(GraphParts graph) {
        List<String> outputs = new ArrayList<>();
        String opType = "";
        String domain = "";
        List<String> labels = null;
        int tag;
        while ((tag = tag()) != 0) {
            switch (field(tag)) {
                case 2 -> outputs.add(string(tag, "output"));
                case 4 -> opType = string(tag, "op_type");
                case 5 -> {
                    List<String> found = message(tag, "attribute", this::classLabels);
                    if (found != null) {
                        labels = found;
                    }
                }
                case 7 -> domain = string(tag, "domain");
                default -> skip(tag);
            }
        }
        graph.nodeDomains.add(domain);
        if (opType.equals("ZipMap") && domain.equals("ai.onnx.ml") && labels != null && outputs.size() == 1) {
            graph.zipMapLabels.put(outputs.getFirst(), List.copyOf(labels));
        }
        return null;
    }

    /**
     * AttributeProto: name 1, ints 8 (packed or not), strings 9. Returns the labels of a
     * classlabels_strings or classlabels_int64s attribute, null for any other attribute. The name
     * comes first in every serializer's output; values seen before it are skipped.
     */
    private List<String> classLabels() {
        String name = null;
        List<String> labels = new ArrayList<>();
        int tag;
        while ((tag = tag()) != 0) {
            int field = field(tag);
            if (field == 1) {
                name = string(tag, "name");
            } else if (field == 9 && "classlabels_strings".equals(name)) {
                labels.add(string(tag, "strings"));
            } else if (field == 8 && "classlabels_int64s".equals(name)) {
                if (wireType(tag) == LENGTH_DELIMITED) {
                    int end = limit(tag, "ints");
                    while (!atLimit()) {
                        labels.add(Long.toString(rawVarint("ints")));
                    }
                    popLimit(end);
                } else {
                    labels.add(Long.toString(varint(tag, "ints")));
                }
            } else {
                skip(tag);
            }
        }
        return "classlabels_strings".equals(name) || "classlabels_int64s".equals(name) ? labels : null;
    }

    // ---- ValueInfoProto and TypeProto --------------------------------------------------------

    private ValueSpec valueInfo() {
        String name = "";
        TypeInfo type = null;
        int tag;
        while ((tag = tag()) != 0) {
            switch (field(tag)) {
                case 1 -> {
                    name = string(tag, "name");
                    path.push(path.pop() + " '" + name + "'");
                }
                case 2 -> type = message(tag, "type", () -> type(0));
                default -> skip(tag);
            }
        }
        if (type == null) {
            type = new TypeInfo(ValueSpec.Kind.OTHER, null, null, null, "undeclared");
        }
        return new ValueSpec(name, type.kind, type.elementType, type.shape, type.description, type.keyType);
    }

    private record TypeInfo(ValueSpec.Kind kind, ElementType elementType, List<Long> shape, ElementType keyType,
            String description) {
    }

    /** TypeProto: tensor_type 1, sequence_type 4, map_type 5, opaque 7, sparse_tensor_type 8, optional_type 9. */
    private TypeInfo type(int depth) {
        if (depth > MAX_TYPE_DEPTH) {
            throw malformed("types nested more than " + MAX_TYPE_DEPTH + " deep");
        }
        TypeInfo type = new TypeInfo(ValueSpec.Kind.OTHER, null, null, null, "undeclared");
        int tag;
        while ((tag = tag()) != 0) {
            switch (field(tag)) {
                case 1 -> type = message(tag, "tensor_type", () -> tensorType("tensor"));
                case 4 -> type = message(tag, "sequence_type", () -> sequenceType(depth));
                case 5 -> type = message(tag, "map_type", () -> mapType(depth));
                case 7 -> {
                    skip(tag);
                    type = new TypeInfo(ValueSpec.Kind.OTHER, null, null, null, "opaque");
                }
                case 8 -> {
                    TypeInfo sparse = message(tag, "sparse_tensor_type", () -> tensorType("sparse_tensor"));
                    type = new TypeInfo(ValueSpec.Kind.OTHER, sparse.elementType, sparse.shape, null, sparse.description);
                }
                case 9 -> {
                    TypeInfo optional = message(tag, "optional_type", () -> wrapped(depth));
                    type = new TypeInfo(ValueSpec.Kind.OTHER, null, null, null,
                            "optional(" + optional.description + ")");
                }
                default -> skip(tag);
            }
        }
        return type;
    }

    /** Tensor and SparseTensor: elem_type 1, shape 2. */
    private TypeInfo tensorType(String what) {
        ElementType elementType = ElementType.UNDEFINED;
        List<Long> shape = null;
        List<String> dims = null;
        int tag;
        while ((tag = tag()) != 0) {
            switch (field(tag)) {
                case 1 -> elementType = ElementType.ofNumber(varint(tag, "elem_type"));
                case 2 -> {
                    shape = new ArrayList<>();
                    dims = new ArrayList<>();
                    List<Long> s = shape;
                    List<String> d = dims;
                    message(tag, "shape", () -> shape(s, d));
                }
                default -> skip(tag);
            }
        }
        String description = what + "(" + elementType.onnxName() + ")" + (dims == null ? "" : "[" + String.join(",", dims) + "]");
        return new TypeInfo(ValueSpec.Kind.TENSOR, elementType, shape, null, description);
    }

    /** TensorShapeProto: dim 1, each a Dimension of dim_value 1 or dim_param 2. */
    private Void shape(List<Long> shape, List<String> names) {
        int tag;
        while ((tag = tag()) != 0) {
            if (field(tag) == 1) {
                message(tag, "dim", () -> {
                    long value = -1;
                    String param = null;
                    int t;
                    while ((t = tag()) != 0) {
                        switch (field(t)) {
                            case 1 -> value = varint(t, "dim_value");
                            case 2 -> param = string(t, "dim_param");
                            default -> skip(t);
                        }
                    }
                    // a negative dim_value is not valid ONNX; read it as unknown rather than refuse the file
                    shape.add(value >= 0 ? value : -1L);
                    names.add(value >= 0 ? Long.toString(value) : param != null && !param.isEmpty() ? param : "?");
                    return null;
                });
            } else {
                skip(tag);
            }
        }
        return null;
    }

    /** Sequence: elem_type 1 (a TypeProto). */
    private TypeInfo sequenceType(int depth) {
        TypeInfo element = wrapped(depth);
        return new TypeInfo(ValueSpec.Kind.SEQUENCE, element.elementType,
                element.kind == ValueSpec.Kind.TENSOR ? element.shape : null, element.keyType,
                "seq(" + element.description + ")");
    }

    /** Sequence and Optional hold one TypeProto in field 1. */
    private TypeInfo wrapped(int depth) {
        TypeInfo element = new TypeInfo(ValueSpec.Kind.OTHER, null, null, null, "undeclared");
        int tag;
        while ((tag = tag()) != 0) {
            if (field(tag) == 1) {
                element = message(tag, "elem_type", () -> type(depth + 1));
            } else {
                skip(tag);
            }
        }
        return element;
    }

    /** Map: key_type 1 (an element type number), value_type 2 (a TypeProto). */
    private TypeInfo mapType(int depth) {
        ElementType keyType = ElementType.UNDEFINED;
        TypeInfo value = new TypeInfo(ValueSpec.Kind.OTHER, null, null, null, "undeclared");
        int tag;
        while ((tag = tag()) != 0) {
            switch (field(tag)) {
                case 1 -> keyType = ElementType.ofNumber(varint(tag, "key_type"));
                case 2 -> value = message(tag, "value_type", () -> type(depth + 1));
                default -> skip(tag);
            }
        }
        return new TypeInfo(ValueSpec.Kind.MAP, value.elementType, null, keyType,
                "map(" + keyType.onnxName() + "," + value.description + ")");
    }

    // ---- wire format ----------------------------------------------------------------------------

    private static int field(int tag) {
        return tag >>> 3;
    }

    private static int wireType(int tag) {
        return tag & 7;
    }

    /** The next tag, 0 at the end of the file or of the current message. */
    private int tag() {
        int at = in.getTotalBytesRead();
        int tag;
        try {
            tag = in.readTag();
        } catch (InvalidProtocolBufferException e) {
            throw translate(e, at, "a field tag");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (tag == 0) {
            return 0;
        }
        int wire = wireType(tag);
        if (wire == START_GROUP || wire == END_GROUP) {
            throw new Failure(Failure.Kind.MALFORMED, at,
                    "field " + field(tag) + " is a protobuf group, which ONNX files never contain");
        }
        if (wire > FIXED32) {
            throw new Failure(Failure.Kind.MALFORMED, at, "field " + field(tag) + " has wire type " + wire
                    + ", which protobuf does not define");
        }
        return tag;
    }

    private void expect(int tag, int wire, String name) {
        if (wireType(tag) != wire) {
            throw new Failure(Failure.Kind.MALFORMED, in.getTotalBytesRead(), name + " (field " + field(tag)
                    + ") has wire type " + wireType(tag) + ", ONNX writes it with wire type " + wire);
        }
    }

    private long varint(int tag, String name) {
        expect(tag, VARINT, name);
        return rawVarint(name);
    }

    private long rawVarint(String name) {
        int at = in.getTotalBytesRead();
        try {
            return in.readRawVarint64();
        } catch (InvalidProtocolBufferException e) {
            throw translate(e, at, name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String string(int tag, String name) {
        expect(tag, LENGTH_DELIMITED, name);
        int at = in.getTotalBytesRead();
        int length = length(name);
        if (length > MAX_STRING_BYTES) {
            throw new Failure(Failure.Kind.MALFORMED, at, name + " declares " + length
                    + " bytes of text; ONNX names, domains and labels are short (at most " + MAX_STRING_BYTES + " bytes are read)");
        }
        try {
            return new String(in.readRawBytes(length), StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw translate(e, at, name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a length and checks that the field fits in the file and in its enclosing message. */
    private int length(String name) {
        int at = in.getTotalBytesRead();
        long length = rawVarint(name + "'s length");
        int start = in.getTotalBytesRead();
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new Failure(Failure.Kind.MALFORMED, at, name + " declares a length of " + length + " bytes");
        }
        // past the file's end at the top level is a cut (a cut file fails there first, every nested
        // message lying inside a top-level one); past its enclosing message is damage inside the file
        if (start + length > end) {
            if (nesting == 0) {
                throw new Failure(Failure.Kind.TRUNCATED, size, name + " (from byte " + at + ") declares " + length
                        + " bytes, but the file ends " + (size - start) + " bytes later");
            }
            throw new Failure(Failure.Kind.MALFORMED, at, name + " declares " + length
                    + " bytes, more than is left of the message that holds it (" + (end - start) + ")");
        }
        return (int) length;
    }

    private int limit(int tag, String name) {
        expect(tag, LENGTH_DELIMITED, name);
        int length = length(name);
        try {
            return in.pushLimit(length);
        } catch (InvalidProtocolBufferException e) {
            throw translate(e, in.getTotalBytesRead(), name);
        }
    }

    private void popLimit(int oldLimit) {
        if (!atLimit()) {
            throw malformed("a message does not end where its length says");
        }
        in.popLimit(oldLimit);
    }

    private boolean atLimit() {
        try {
            return in.isAtEnd();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads an embedded message with {@code body}, which reads tags until the message's end. */
    private <T> T message(int tag, String name, java.util.function.Supplier<T> body) {
        int oldLimit = limit(tag, name);
        int outerEnd = end;
        end = in.getTotalBytesRead() + in.getBytesUntilLimit();
        long declaredLength = in.getBytesUntilLimit();
        nesting++;
        path.push(name);
        T result = body.get();
        if (stream != null && in.getTotalBytesRead() < end) {
            // a stream reads as "at end" where it ends, inside the message or not: the length says which
            int start = end - (int) declaredLength;
            throw new Failure(Failure.Kind.TRUNCATED, fileSize(), name + " (from byte " + start + ") declares "
                    + declaredLength + " bytes, but the file ends " + (fileSize() - start) + " bytes later");
        }
        path.pop();
        nesting--;
        end = outerEnd;
        popLimit(oldLimit);
        return result;
    }

    private void skip(int tag) {
        int at = in.getTotalBytesRead();
        if (wireType(tag) == LENGTH_DELIMITED) {
            int length = length("field " + field(tag));
            try {
                in.skipRawBytes(length);
            } catch (InvalidProtocolBufferException e) {
                throw translate(e, at, "field " + field(tag));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        try {
            switch (wireType(tag)) {
                case VARINT -> in.readRawVarint64();
                case FIXED64 -> in.skipRawBytes(8);
                case FIXED32 -> in.skipRawBytes(4);
                default -> throw new IllegalStateException("tag() lets no other wire type through");
            }
        } catch (InvalidProtocolBufferException e) {
            throw translate(e, at, "field " + field(tag));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Failure malformed(String why) {
        return new Failure(Failure.Kind.MALFORMED, in.getTotalBytesRead(), why);
    }

    private Failure translate(InvalidProtocolBufferException e, int at, String what) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("ended unexpectedly") || (stream == null && in.getTotalBytesRead() >= size)) {
            return new Failure(Failure.Kind.TRUNCATED, fileSize(), "the file ends inside " + what + " (from byte " + at + ")", e);
        }
        return new Failure(Failure.Kind.MALFORMED, at, what + " cannot be read: " + message, e);
    }

    private String describe(Failure failure) {
        String where = path.isEmpty() ? "" : " (in " + String.join(" > ", path.reversed()) + ")";
        if (failure.kind == Failure.Kind.NOT_ONNX || !looksLikeOnnx) {
            return "not an ONNX model: " + (failure.kind == Failure.Kind.NOT_ONNX ? "" : "at byte " + failure.at + ", ")
                    + failure.getMessage()
                    + " (an ONNX model is a protobuf ModelProto, as torch.onnx, skl2onnx or onnxmltools write it)";
        }
        if (failure.kind == Failure.Kind.TRUNCATED) {
            return "truncated at byte " + failure.at + where + ": " + failure.getMessage()
                    + "; the file looks cut short (an incomplete upload or copy?)";
        }
        return "not a valid ONNX model: malformed at byte " + failure.at + where + ": " + failure.getMessage();
    }

    /** Unwinds the reader; turned into an {@link InvalidModelException} with the path at the top. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        enum Kind {
            NOT_ONNX, TRUNCATED, MALFORMED
        }

        final Kind kind;
        final int at;

        Failure(Kind kind, int at, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.at = at;
        }

        Failure(Kind kind, int at, String message, Throwable cause) {
            super(message, cause, false, false);
            this.kind = kind;
            this.at = at;
        }
    }
}
