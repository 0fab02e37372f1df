package io.flywheel.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An ONNX model loaded into ONNX Runtime (CPU), ready to run. {@link #run} may be called from any
 * number of threads at once (ONNX Runtime's {@code OrtSession.run} is thread-safe); {@link #close}
 * waits for runs under way and frees the native session.
 *
 * <pre>{@code
 * try (OnnxModel model = OnnxModel.load(bytes)) {
 *     Map<String, Tensor> out = model.run(Map.of("input", Tensor.fp32(rows)));
 *     Tensor probabilities = out.get("probabilities");
 * }
 * }</pre>
 */
public final class OnnxModel implements AutoCloseable {

    /**
     * How a session runs.
     *
     * @param intraOpThreads threads one run may use inside an operator; 1 (the default) suits a server
     *                       that runs many requests at once, 0 lets ONNX Runtime take every core
     */
    public record Options(int intraOpThreads) {
        public static final Options DEFAULTS = new Options(1);

        public Options {
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException("intraOpThreads must be >= 0 (0: one per core), got " + intraOpThreads);
            }
        }
    }

    /** Output element types {@link #run} turns into a {@link Tensor} (ORT's Java API reads no others). */
    private static final Set<ElementType> CONVERTIBLE = Set.of(ElementType.FLOAT, ElementType.DOUBLE,
            ElementType.INT64, ElementType.INT32, ElementType.BOOL, ElementType.STRING, ElementType.INT8,
            ElementType.UINT8, ElementType.INT16, ElementType.FLOAT16, ElementType.BFLOAT16);

    private final OnnxGraph graph;
    private final OrtEnvironment environment;
    private final OrtSession session;
    /** Runs hold it shared, close holds it alone: a run never meets a freed session. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private OnnxModel(OnnxGraph graph, OrtEnvironment environment, OrtSession session) {
        this.graph = graph;
        this.environment = environment;
        this.session = session;
    }

    public static OnnxModel load(byte[] bytes) {
        return load(bytes, Options.DEFAULTS);
    }

    /**
     * Reads the graph, checks it with {@link OnnxSupport}, and opens a session on the process-wide
     * ONNX Runtime environment with every graph optimisation on.
     *
     * @throws InvalidModelException when the bytes are no ONNX model, or one that cannot be served
     *                               (the message lists why), or ONNX Runtime refuses it
     */
    public static OnnxModel load(byte[] bytes, Options options) {
        OnnxGraph graph = OnnxGraph.read(bytes);
        List<String> problems = OnnxSupport.problems(graph);
        if (!problems.isEmpty()) {
            throw InvalidModelException.unsupported(problems);
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
            sessionOptions.setInterOpNumThreads(1);
            sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // ONNX Runtime copies the options into the session: closing them here is safe
            return new OnnxModel(graph, environment, environment.createSession(bytes, sessionOptions));
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime " + OnnxSupport.RUNTIME_VERSION + " cannot load the model: "
                    + e.getMessage(), e);
        }
    }

    public OnnxGraph graph() {
        return graph;
    }

    /** For each ZipMap output, the class labels in the order of its columns; empty when there is none. */
    public Map<String, List<String>> classLabels() {
        return graph.zipMapLabels();
    }

    /**
     * Runs the model. Each graph input must be given, as a tensor of the input's datatype or one that
     * converts to it without loss that matters (see README.md: FP64 to FP32 rounds as the frameworks
     * do, integers go to floats while exact, whole floats go to integers), and of the declared extent
     * along every axis the model fixes. Outputs come back by name in graph order; a ZipMap output (a
     * sequence of class → probability maps) comes back as an FP32 [rows, classes] tensor whose
     * {@link Tensor#labels()} are the classes.
     *
     * @throws IllegalArgumentException an input missing, unknown, of a type that does not convert, or
     *                                  of the wrong shape: the message names the input and says what
     *                                  it expects; or ONNX Runtime refused the values
     * @throws IllegalStateException    after {@link #close}, or when ONNX Runtime fails
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        if (closed) {
            throw new IllegalStateException("the model is closed");
        }
        Map<String, Tensor> checked = InputCheck.check(graph, inputs);
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model is closed");
            }
            Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, Tensor> input : checked.entrySet()) {
                    feed.put(input.getKey(), toOnnx(input.getValue()));
                }
                // the Result owns every value in it and closes them all
                try (OrtSession.Result result = session.run(feed)) {
                    Map<String, Tensor> outputs = new LinkedHashMap<>();
                    for (Map.Entry<String, OnnxValue> output : result) {
                        outputs.put(output.getKey(), fromOnnx(output.getKey(), output.getValue()));
                    }
                    return Collections.unmodifiableMap(outputs);
                }
            } catch (OrtException e) {
                if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
                    throw new IllegalArgumentException("ONNX Runtime refused the inputs: " + e.getMessage(), e);
                }
                throw new IllegalStateException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
            } finally {
                OnnxValue.close(feed);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Frees the native session once the runs under way are done. Closing twice does nothing. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                session.close();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to close the session: " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- Tensor → ONNX Runtime ----------------------------------------------------------------

    private OnnxTensor toOnnx(Tensor tensor) throws OrtException {
        long[] shape = tensor.shape();
        return switch (tensor.data()) {
            case float[] a -> OnnxTensor.createTensor(environment, FloatBuffer.wrap(a), shape);
            case double[] a -> OnnxTensor.createTensor(environment, DoubleBuffer.wrap(a), shape);
            case long[] a -> OnnxTensor.createTensor(environment, LongBuffer.wrap(a), shape);
            case int[] a -> OnnxTensor.createTensor(environment, IntBuffer.wrap(a), shape);
            case boolean[] a -> {
                ByteBuffer bytes = ByteBuffer.allocateDirect(a.length);
                for (boolean b : a) {
                    bytes.put((byte) (b ? 1 : 0));
                }
                yield OnnxTensor.createTensor(environment, bytes.rewind(), shape, OnnxJavaType.BOOL);
            }
            case String[] a -> OnnxTensor.createTensor(environment, a, shape);
            default -> throw new IllegalStateException("Tensor admits no " + tensor.data().getClass());
        };
    }

    // ---- ONNX Runtime → Tensor ----------------------------------------------------------------

    /** Whether {@link #run} can turn this output into a {@link Tensor}; {@link OnnxSupport} refuses the rest. */
    static boolean canConvert(ValueSpec output) {
        return switch (output.kind()) {
            case TENSOR -> CONVERTIBLE.contains(output.elementType());
            case SEQUENCE, MAP -> output.keyType() != null
                    && (output.keyType() == ElementType.INT64 || output.keyType() == ElementType.STRING)
                    && (output.elementType() == ElementType.FLOAT || output.elementType() == ElementType.DOUBLE);
            // an output without a declared type: what comes back decides
            case OTHER -> output.description().equals("undeclared");
        };
    }

    private Tensor fromOnnx(String name, OnnxValue value) throws OrtException {
        return switch (value) {
            case OnnxTensor tensor -> fromTensor(name, tensor);
            case OnnxSequence sequence -> fromSequence(name, sequence);
            case OnnxMap map -> fromMaps(name, List.of(map.getValue()));
            default -> throw new IllegalStateException("output '" + name + "' is a " + value.getType()
                    + ", which cannot be returned as a tensor");
        };
    }

    private static Tensor fromTensor(String name, OnnxTensor tensor) throws OrtException {
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        return switch (info.type) {
            case FLOAT, FLOAT16, BFLOAT16 -> {
                // getFloatBuffer widens FLOAT16 and BFLOAT16 to float
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] a = new float[buffer.remaining()];
                buffer.get(a);
                yield Tensor.fp32(a, shape);
            }
            case DOUBLE -> {
                DoubleBuffer buffer = tensor.getDoubleBuffer();
                double[] a = new double[buffer.remaining()];
                buffer.get(a);
                yield Tensor.fp64(a, shape);
            }
            case INT64 -> {
                LongBuffer buffer = tensor.getLongBuffer();
                long[] a = new long[buffer.remaining()];
                buffer.get(a);
                yield Tensor.int64(a, shape);
            }
            case INT32 -> {
                IntBuffer buffer = tensor.getIntBuffer();
                int[] a = new int[buffer.remaining()];
                buffer.get(a);
                yield Tensor.int32(a, shape);
            }
            case INT16 -> {
                ShortBuffer buffer = tensor.getShortBuffer();
                int[] a = new int[buffer.remaining()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = buffer.get(i);
                }
                yield Tensor.int32(a, shape);
            }
            case INT8, UINT8 -> {
                ByteBuffer buffer = tensor.getByteBuffer();
                int[] a = new int[buffer.remaining()];
                boolean unsigned = info.type == OnnxJavaType.UINT8;
                for (int i = 0; i < a.length; i++) {
                    a[i] = unsigned ? Byte.toUnsignedInt(buffer.get(i)) : buffer.get(i);
                }
                yield Tensor.int32(a, shape);
            }
            case BOOL -> {
                ByteBuffer buffer = tensor.getByteBuffer();
                boolean[] a = new boolean[buffer.remaining()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = buffer.get(i) != 0;
                }
                yield Tensor.bool(a, shape);
            }
            case STRING -> {
                List<String> flat = new ArrayList<>();
                flatten(tensor.getValue(), flat);
                yield Tensor.bytes(flat.toArray(String[]::new), shape);
            }
            default -> throw new IllegalStateException("output '" + name + "' is a tensor of " + info.type
                    + ", which cannot be returned");
        };
    }

    /** A string tensor comes out of the Java API as nested String arrays (a String for a scalar). */
    private static void flatten(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Object[] array) {
            for (Object element : array) {
                flatten(element, out);
            }
        } else {
            throw new IllegalStateException("unexpected element in a string tensor: " + value);
        }
    }

    /**
     * A ZipMap output. {@code getValue()} hands out a new native OnnxMap per element each time it is
     * called, which neither the sequence nor the Result closes: each is closed here, even when one of
     * them fails to convert, or every prediction would leak its maps.
     */
    private Tensor fromSequence(String name, OnnxSequence sequence) throws OrtException {
        if (!sequence.getInfo().isSequenceOfMaps()) {
            throw new IllegalStateException("output '" + name + "' is a sequence of " + sequence.getInfo().sequenceType
                    + " tensors, which cannot be returned as one tensor");
        }
        List<? extends OnnxValue> elements = sequence.getValue();
        try {
            List<Map<?, ?>> rows = new ArrayList<>(elements.size());
            for (OnnxValue element : elements) {
                rows.add(((OnnxMap) element).getValue());
            }
            return fromMaps(name, rows);
        } finally {
            for (OnnxValue element : elements) {
                element.close();
            }
        }
    }

    /** Maps of class → score, one per row, as an FP32 [rows, classes] matrix in the model's class order. */
    private Tensor fromMaps(String name, List<? extends Map<?, ?>> rows) {
        List<Object> keys = classOrder(name, rows);
        List<String> labels = keys.stream().map(String::valueOf).toList();
        float[] data = new float[rows.size() * keys.size()];
        for (int r = 0; r < rows.size(); r++) {
            Map<?, ?> row = rows.get(r);
            if (row.size() != keys.size()) {
                throw new IllegalStateException("output '" + name + "' row " + r + " has " + row.size()
                        + " classes, expected " + keys.size());
            }
            for (int c = 0; c < keys.size(); c++) {
                Object score = row.get(keys.get(c));
                if (!(score instanceof Number number)) {
                    throw new IllegalStateException("output '" + name + "' row " + r + " has no score for class "
                            + labels.get(c));
                }
                data[r * keys.size() + c] = number.floatValue();
            }
        }
        return Tensor.fp32(data, rows.size(), keys.size()).withLabels(labels);
    }

    /** The ZipMap's own label order when the graph names it, else the keys sorted (as scikit-learn sorts classes). */
    private List<Object> classOrder(String name, List<? extends Map<?, ?>> rows) {
        List<String> declared = graph.zipMapLabels().get(name);
        Object sample = rows.isEmpty() || rows.getFirst().isEmpty() ? null : rows.getFirst().keySet().iterator().next();
        if (declared != null) {
            List<Object> keys = new ArrayList<>(declared.size());
            for (String label : declared) {
                keys.add(sample instanceof Long ? (Object) Long.valueOf(label) : label);
            }
            return keys;
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Object> keys = new ArrayList<>(rows.getFirst().keySet());
        keys.sort(sample instanceof Long ? Comparator.comparing(k -> (Long) k) : Comparator.comparing(String::valueOf));
        return keys;
    }

    @Override
    public String toString() {
        return "OnnxModel[" + graph.producerName() + " " + graph.producerVersion() + ", inputs "
                + graph.inputs().stream().map(spec -> spec.name() + ": " + spec.description()).toList()
                + (closed ? ", closed]" : "]");
    }
}
