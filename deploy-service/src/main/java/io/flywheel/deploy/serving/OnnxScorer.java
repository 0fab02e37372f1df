package io.flywheel.deploy.serving;

import io.flywheel.deploy.InvalidInferenceInputException;
import io.flywheel.onnx.ElementType;
import io.flywheel.onnx.OnnxGraph;
import io.flywheel.onnx.OnnxModel;
import io.flywheel.onnx.TabularInput;
import io.flywheel.onnx.Tensor;
import io.flywheel.onnx.ValueSpec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version of format {@code onnx}: one ONNX Runtime session ({@link OnnxModel}), shared by every
 * request thread, closed when the version leaves traffic.
 *
 * <p>Requests come in one of two forms. <b>Tensors</b>: the graph's inputs by name, each with its
 * datatype and shape ({@code float_input}, FP32, [n, 20]). <b>Tabular</b>: one input per feature of
 * the signature, one value per row ({@code age}, [n]); for a model that takes one matrix the
 * features become its columns in the signature's order ({@link TabularInput}); for a model that takes
 * one tensor per feature the two forms are the same and a [n] input feeds an [n, 1] one.
 *
 * <p>The answer carries every graph output (a ZipMap's class → probability maps as an FP32 [n, classes]
 * tensor), class labels in the output's {@code parameters}. The prediction log gets the inputs by
 * feature name (a matrix's columns) and, per contract, a binary classifier's {@code {probability,
 * label}} (the column labelled 1 or true, else the last) or a regression's value.
 */
public final class OnnxScorer implements Scorer {

    public static final String FORMAT = "onnx";
    /** v2's name for an ONNX model server's platform. */
    public static final String PLATFORM = "onnxruntime_onnx";

    private static final Pattern NAMED = Pattern.compile("(?:input|feature) '([^']+)'");

    /** How the features reach the graph. */
    enum Layout {
        /** One FP32/FP64 [n, k] input; feature c is column c. */
        MATRIX,
        /** One [n] or [n, 1] input per feature, named as the feature. */
        PER_FEATURE
    }

    /** What the prediction log records as the output. */
    private sealed interface Logged {
    }

    private record Classifier(String label, String probabilities) implements Logged {
    }

    private record Regression(String output) implements Logged {
    }

    /** Anything else: every output by name. */
    private record Raw() implements Logged {
    }

    private final OnnxModel model;
    private final ServedSignature signature;
    private final Layout layout;
    private final TabularInput table;
    private final String[] features;
    private final Map<String, ValueSpec> graphInputs;
    private final String graphInputText;
    private final Logged logged;
    private final Map<String, List<String>> declaredLabels;
    private final List<TensorSpec> inputSpecs;
    private final List<TensorSpec> outputSpecs;

    private OnnxScorer(OnnxModel model, ServedSignature signature, Layout layout, TabularInput table,
                       Map<String, List<String>> declaredLabels) {
        this.model = model;
        this.signature = signature;
        this.layout = layout;
        this.table = table;
        this.features = signature.names().toArray(String[]::new);
        OnnxGraph graph = model.graph();
        this.graphInputs = new HashMap<>();
        for (ValueSpec input : graph.inputs()) {
            graphInputs.put(input.name(), input);
        }
        this.graphInputText = String.join(", ", graph.inputs().stream().map(i -> i.name() + " " + i.description()).toList());
        this.logged = logged(graph);
        Map<String, List<String>> labels = new HashMap<>(declaredLabels);
        labels.putAll(graph.zipMapLabels());
        this.declaredLabels = Map.copyOf(labels);
        this.inputSpecs = graph.inputs().stream().map(i -> new TensorSpec(i.name(), i.v2Datatype(), shape(i))).toList();
        this.outputSpecs = graph.outputs().stream().map(this::outputSpec).toList();
    }

    /**
     * Loads the model and fits the version's signature onto its graph.
     *
     * @param features       the signature's features in order, or empty to take them from the graph
     *                       ({@code <input>_0 …} for a matrix, the inputs themselves otherwise)
     * @param declaredLabels class labels per output as the registry read them (may be empty)
     * @throws IllegalArgumentException why it can't be served (not ONNX, not servable by ONNX Runtime,
     *                                  a signature that does not fit the graph)
     */
    static OnnxScorer load(String modelName, int version, List<ServedSignature.InputSpec> features, String outputName,
                           Map<String, List<String>> declaredLabels, byte[] artifact) {
        OnnxModel model = OnnxModel.load(artifact);
        try {
            OnnxGraph graph = model.graph();
            String output = outputName != null ? outputName : graph.outputs().getFirst().name();
            if (TabularInput.fits(graph)) {
                ValueSpec input = graph.inputs().getFirst();
                List<ServedSignature.InputSpec> columns = features;
                if (columns.isEmpty()) {
                    long width = input.rank() == 2 ? input.shape().get(1) : -1;
                    if (width < 0) {
                        throw new IllegalArgumentException("input '" + input.name() + "' (" + input.description()
                                + ") has no fixed width: register the version with a signature naming its features");
                    }
                    columns = new ArrayList<>();
                    for (int c = 0; c < width; c++) {
                        columns.add(new ServedSignature.InputSpec(input.name() + "_" + c, "number"));
                    }
                }
                for (ServedSignature.InputSpec spec : columns) {
                    if (spec.type().equals("string")) {
                        throw new IllegalArgumentException("the signature's feature '" + spec.name() + "' is a string, but the model takes "
                                + "one matrix of numbers ('" + input.name() + "', " + input.description() + ")");
                    }
                }
                TabularInput table;
                try {
                    table = TabularInput.of(graph, columns.stream().map(ServedSignature.InputSpec::name).toList());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the signature does not fit the model: " + e.getMessage());
                }
                return new OnnxScorer(model, new ServedSignature(modelName, version, columns, output), Layout.MATRIX, table,
                        declaredLabels);
            }
            for (ValueSpec input : graph.inputs()) {
                boolean perRow = input.rank() == -1 || input.rank() == 1
                        || (input.rank() == 2 && (input.shape().get(1) == 1 || input.shape().get(1) == -1));
                if (!perRow) {
                    throw new IllegalArgumentException("the model takes neither one matrix nor one tensor per feature: input '"
                            + input.name() + "' is " + input.description());
                }
            }
            List<ServedSignature.InputSpec> perFeature = features;
            if (perFeature.isEmpty()) {
                perFeature = graph.inputs().stream().map(i -> new ServedSignature.InputSpec(i.name(), type(i))).toList();
            } else if (!new java.util.HashSet<>(perFeature.stream().map(ServedSignature.InputSpec::name).toList())
                    .equals(new java.util.HashSet<>(graph.inputNames()))) {
                throw new IllegalArgumentException("the signature's features (" + String.join(", ",
                        perFeature.stream().map(ServedSignature.InputSpec::name).toList()) + ") are not the model's inputs ("
                        + String.join(", ", graph.inputNames()) + ")");
            }
            return new OnnxScorer(model, new ServedSignature(modelName, version, perFeature, output), Layout.PER_FEATURE, null,
                    declaredLabels);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The signature type of a per-feature input: FP → number, INT → integer, BOOL → boolean, BYTES → string. */
    private static String type(ValueSpec input) {
        String datatype = input.v2Datatype();
        if (datatype == null) {
            return "number";
        }
        return switch (datatype) {
            case "BOOL" -> "boolean";
            case "BYTES" -> "string";
            default -> datatype.startsWith("INT") || datatype.startsWith("UINT") ? "integer" : "number";
        };
    }

    private static Logged logged(OnnxGraph graph) {
        List<ValueSpec> outputs = graph.outputs();
        if (outputs.size() == 2) {
            ValueSpec label = null;
            ValueSpec probabilities = null;
            for (ValueSpec output : outputs) {
                if (output.isSequenceOfMaps() || (output.kind() == ValueSpec.Kind.TENSOR && output.rank() == 2
                        && (output.elementType() == ElementType.FLOAT || output.elementType() == ElementType.DOUBLE))) {
                    probabilities = output;
                } else if (output.kind() == ValueSpec.Kind.TENSOR && output.rank() == 1) {
                    label = output;
                }
            }
            if (label != null && probabilities != null) {
                return new Classifier(label.name(), probabilities.name());
            }
        }
        if (outputs.size() == 1 && outputs.getFirst().kind() == ValueSpec.Kind.TENSOR) {
            return new Regression(outputs.getFirst().name());
        }
        return new Raw();
    }

    public OnnxModel model() {
        return model;
    }

    public ServedSignature signature() {
        return signature;
    }

    Layout layout() {
        return layout;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputSpecs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputSpecs;
    }

    private static List<Long> shape(ValueSpec spec) {
        return spec.shape() == null ? List.of(-1L) : spec.shape();
    }

    private TensorSpec outputSpec(ValueSpec output) {
        if (output.isSequenceOfMaps()) {
            List<String> labels = model.graph().zipMapLabels().get(output.name());
            return new TensorSpec(output.name(), "FP32", List.of(-1L, labels == null ? -1L : labels.size()));
        }
        String datatype = output.v2Datatype();
        return new TensorSpec(output.name(), datatype == null ? "FP32" : datatype, shape(output));
    }

    // ---- scoring ----------------------------------------------------------------------------------

    /** What is fed to the graph, how many rows, and each row's inputs by feature name for the log. */
    private record Fed(Map<String, Tensor> tensors, int rows, IntFunction<Map<String, Object>> row) {
    }

    @Override
    public Scores score(List<InferRequest.Input> request) {
        if (request == null || request.isEmpty()) {
            throw new InvalidInferenceInputException("inputs", "inputs is required: the model's inputs (" + graphInputText
                    + ") as tensors, or one input per feature (" + signature.inputNames() + ")");
        }
        boolean tensors = true;
        for (InferRequest.Input input : request) {
            if (input == null || input.name() == null || input.name().isBlank()) {
                throw new InvalidInferenceInputException("inputs", "every input needs a name; the model takes " + graphInputText
                        + ", or one input per feature (" + signature.inputNames() + ")");
            }
            tensors &= graphInputs.containsKey(input.name());
        }
        Fed fed = tensors ? tensors(request) : tabular(request);
        Map<String, Tensor> out;
        try {
            out = model.run(fed.tensors());
        } catch (IllegalArgumentException e) {
            throw new InvalidInferenceInputException(field(e.getMessage()), e.getMessage());
        } catch (IllegalStateException e) {
            if (model.isClosed()) {
                throw new ScorerClosedException("version " + signature.version() + " of model '" + signature.model() + "' was closed");
            }
            throw e;
        }
        int n = fed.rows();
        List<InferResponse.Output> outputs = new ArrayList<>(out.size());
        for (Map.Entry<String, Tensor> entry : out.entrySet()) {
            Tensor t = entry.getValue();
            List<String> labels = labels(entry.getKey(), t);
            List<Integer> shape = new ArrayList<>(t.shape().length);
            for (long d : t.shape()) {
                shape.add((int) d);
            }
            outputs.add(new InferResponse.Output(entry.getKey(), shape, t.datatype(),
                    labels == null ? null : Map.of("labels", labels), V2Data.list(t.data())));
        }
        Object[] loggedOutputs = new Object[n];
        for (int r = 0; r < n; r++) {
            loggedOutputs[r] = loggedOutput(out, r, n);
        }
        return new Scores(n, outputs, new Rows(n, fed.row()), List.of(loggedOutputs));
    }

    /** The field a refusal from {@link OnnxModel#run} or {@link TabularInput} names. */
    private static String field(String message) {
        Matcher m = NAMED.matcher(message == null ? "" : message);
        return m.find() ? m.group(1) : "inputs";
    }

    /** The tensor form: the graph's inputs by name. */
    private Fed tensors(List<InferRequest.Input> request) {
        Map<String, Tensor> feed = new LinkedHashMap<>();
        Map<String, List<Object>> data = new HashMap<>();
        int rows = -1;
        for (InferRequest.Input input : request) {
            ValueSpec spec = graphInputs.get(input.name());
            List<Object> values = InferenceInputs.flatten(input.data());
            Tensor tensor = tensor(input, spec, values);
            if (feed.put(input.name(), tensor) != null) {
                throw new InvalidInferenceInputException(input.name(), "input '" + input.name() + "' is given twice");
            }
            data.put(input.name(), values);
            if (rows < 0) {
                rows = tensor.rank() == 0 ? 1 : (int) tensor.shape()[0];
            }
        }
        int n = rows;
        if (layout == Layout.MATRIX) {
            Tensor matrix = feed.get(table.inputName());
            ValueSpec spec = graphInputs.get(table.inputName());
            boolean widthFixed = spec.rank() == 2 && spec.shape().get(1) >= 0;   // then ONNX Runtime's check says it
            if (!widthFixed && matrix != null && matrix.rank() == 2 && matrix.shape()[1] != features.length) {
                throw new InvalidInferenceInputException(table.inputName(), "input '" + table.inputName() + "' has "
                        + matrix.shape()[1] + " columns; the version's signature names " + features.length + " features ("
                        + signature.inputNames() + ")");
            }
            List<Object> flat = data.get(table.inputName());
            int k = features.length;
            return new Fed(feed, n, r -> new FeatureRow(features, c -> flat.get(r * k + c)));
        }
        @SuppressWarnings("unchecked")
        List<Object>[] columns = new List[features.length];
        for (int c = 0; c < features.length; c++) {
            columns[c] = data.get(features[c]);
            if (columns[c] != null && columns[c].size() != n) {
                throw new InvalidInferenceInputException(features[c], "input '" + features[c] + "' has " + columns[c].size()
                        + " values for " + n + " rows: send one value per row");
            }
        }
        return new Fed(feed, n, r -> new FeatureRow(features, c -> columns[c] == null ? null : columns[c].get(r)));
    }

    /** The tabular form: one input per feature, one value per row, into the model's matrix. */
    private Fed tabular(List<InferRequest.Input> request) {
        for (InferRequest.Input input : request) {
            if (!graphInputs.containsKey(input.name()) && (layout != Layout.MATRIX || signature.input(input.name()) == null)) {
                throw unknown(input.name());
            }
        }
        Map<String, List<Object>> columns = new HashMap<>();
        for (InferRequest.Input input : request) {
            String name = input.name();
            ServedSignature.InputSpec spec = signature.input(name);
            if (spec == null) {
                throw graphInputs.containsKey(name)
                        ? new InvalidInferenceInputException(name, "input '" + name + "' is one of the model's tensors, the others are "
                        + "features: send either the model's inputs (" + graphInputText + ") or its features (" + signature.inputNames() + ")")
                        : unknown(name);
            }
            List<Object> values = InferenceInputs.flatten(input.data());
            if (values == null || values.isEmpty()) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' has no data: send one value per row");
            }
            if (input.datatype() != null && !spec.accepts(input.datatype())) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' has datatype " + input.datatype()
                        + ", but the signature says " + spec.type() + ": send " + spec.datatype());
            }
            checkShape(name, input.shape(), values.size());
            if (columns.put(name, values) != null) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' is given twice");
            }
        }
        Map<String, Tensor> feed;
        try {
            feed = table.columns(columns);
        } catch (IllegalArgumentException e) {
            throw new InvalidInferenceInputException(field(e.getMessage()), e.getMessage());
        }
        @SuppressWarnings("unchecked")
        List<Object>[] ordered = new List[features.length];
        for (int c = 0; c < features.length; c++) {
            ordered[c] = columns.get(features[c]);
        }
        return new Fed(feed, ordered[0].size(), r -> new FeatureRow(features, c -> ordered[c].get(r)));
    }

    private InvalidInferenceInputException unknown(String name) {
        return new InvalidInferenceInputException(name, "input '" + name + "' is neither one of the model's inputs (" + graphInputText
                + ") nor one of its features (" + signature.inputNames() + ")");
    }

    private static void checkShape(String name, List<Long> shape, int values) {
        if (shape == null || shape.isEmpty()) {
            return;
        }
        long product = 1;
        for (Long d : shape) {
            if (d == null || d < 0) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' has shape " + shape
                        + ": dimensions are whole numbers, 0 or more");
            }
            product *= d;
        }
        if (product != values) {
            throw new InvalidInferenceInputException(name, "input '" + name + "' has shape " + shape + " but " + values
                    + " value(s)");
        }
    }

    /** A v2 input as a tensor of its own datatype (OnnxModel converts it to the graph's, or says why not). */
    private Tensor tensor(InferRequest.Input input, ValueSpec spec, List<Object> values) {
        String name = input.name();
        if (values == null || values.isEmpty()) {
            throw new InvalidInferenceInputException(name, "input '" + name + "' has no data");
        }
        String datatype = input.datatype() != null ? input.datatype().toUpperCase(Locale.ROOT) : spec.v2Datatype();
        long[] shape = shape(input, spec, values.size());
        int n = values.size();
        return switch (datatype == null ? "" : datatype) {
            case "FP32" -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = number(name, i, values.get(i)).floatValue();
                }
                yield Tensor.fp32(a, shape);
            }
            case "FP64", "FP16", "BF16" -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = number(name, i, values.get(i)).doubleValue();
                }
                yield Tensor.fp64(a, shape);
            }
            case "INT64", "INT32", "INT16", "INT8", "UINT64", "UINT32", "UINT16", "UINT8" -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = whole(name, i, values.get(i));
                }
                yield Tensor.int64(a, shape);
            }
            case "BOOL" -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    if (!(values.get(i) instanceof Boolean b)) {
                        throw element(name, i, "a boolean (true or false)", values.get(i));
                    }
                    a[i] = b;
                }
                yield Tensor.bool(a, shape);
            }
            case "BYTES" -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    if (!(values.get(i) instanceof String s)) {
                        throw element(name, i, "a string", values.get(i));
                    }
                    a[i] = s;
                }
                yield Tensor.bytes(a, shape);
            }
            default -> throw new InvalidInferenceInputException(name, "input '" + name + "' has datatype " + datatype
                    + ", which the model can't take (" + spec.description() + "): send " + spec.v2Datatype());
        };
    }

    /**
     * The request's shape, or one inferred from the graph when it sends none; an input that takes one
     * value per row accepts [n] for [n, 1] and [n, 1] for [n], as tabular callers send [n].
     */
    private static long[] shape(InferRequest.Input input, ValueSpec spec, int values) {
        String name = input.name();
        int rank = spec.rank();
        long[] shape;
        if (input.shape() == null || input.shape().isEmpty()) {
            if (rank == 2 && spec.shape().get(1) > 0 && values % spec.shape().get(1) == 0) {
                shape = new long[]{values / spec.shape().get(1), spec.shape().get(1)};
            } else if (rank <= 1) {
                shape = new long[]{values};
            } else {
                throw new InvalidInferenceInputException(name, "input '" + name + "' needs a shape (the model takes "
                        + spec.description() + ")");
            }
        } else {
            shape = new long[input.shape().size()];
            long product = 1;
            for (int i = 0; i < shape.length; i++) {
                Long d = input.shape().get(i);
                if (d == null || d < 0) {
                    throw new InvalidInferenceInputException(name, "input '" + name + "' has shape " + input.shape()
                            + ": dimensions are whole numbers, 0 or more");
                }
                shape[i] = d;
                product *= d;
            }
            if (product != values) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' has shape " + input.shape() + " but "
                        + values + " value(s)");
            }
        }
        if (rank == 2 && shape.length == 1 && (spec.shape().get(1) == 1 || spec.shape().get(1) == -1)) {
            return new long[]{shape[0], 1};
        }
        if (rank == 1 && shape.length == 2 && shape[1] == 1) {
            return new long[]{shape[0]};
        }
        return shape;
    }

    private static Number number(String name, int i, Object value) {
        if (value instanceof Number n) {
            return n;
        }
        throw element(name, i, "a number", value);
    }

    private static long whole(String name, int i, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        if (value instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0) {
            return d.longValueExact();
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
            return d.longValue();
        }
        throw element(name, i, "an integer", value);
    }

    private static InvalidInferenceInputException element(String name, int i, String expected, Object value) {
        return new InvalidInferenceInputException(name, "input '" + name + "' element " + i + " must be " + expected + ", got "
                + (value == null ? "null" : value instanceof String s ? "a string (\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s)
                + "\")" : value instanceof List<?> ? "a list" : String.valueOf(value)));
    }

    // ---- outputs ----------------------------------------------------------------------------------

    private List<String> labels(String output, Tensor t) {
        if (t.labels() != null) {
            return t.labels();
        }
        List<String> declared = declaredLabels.get(output);
        return declared != null && t.rank() == 2 && t.shape()[1] == declared.size() ? declared : null;
    }

    /** Per contract: a binary classifier's probability of the positive class and label, a regression's value. */
    private Object loggedOutput(Map<String, Tensor> out, int r, int n) {
        return switch (logged) {
            case Classifier c -> {
                Tensor probabilities = out.get(c.probabilities());
                Tensor label = out.get(c.label());
                Map<String, Object> row = new LinkedHashMap<>(4);
                int classes = probabilities.rank() == 2 ? (int) probabilities.shape()[1] : 0;
                if (classes == 2) {
                    row.put("probability", element(probabilities, r * classes + positive(c.probabilities(), probabilities)));
                }
                row.put("label", element(label, r));
                yield row;
            }
            case Regression g -> rowValue(out.get(g.output()), r, n);
            case Raw ignored -> {
                Map<String, Object> row = new LinkedHashMap<>();
                out.forEach((name, t) -> row.put(name, rowValue(t, r, n)));
                yield row;
            }
        };
    }

    /** The positive class's column: the one labelled 1 or true, else the last. */
    private int positive(String output, Tensor probabilities) {
        List<String> labels = labels(output, probabilities);
        if (labels != null) {
            for (int i = 0; i < labels.size(); i++) {
                if (labels.get(i).equals("1") || labels.get(i).equalsIgnoreCase("true")) {
                    return i;
                }
            }
        }
        return (int) probabilities.shape()[1] - 1;
    }

    /** A row's value (one element per row) or values (several). */
    private static Object rowValue(Tensor t, int r, int n) {
        int size = t.size();
        if (size == n) {
            return element(t, r);
        }
        int width = n == 0 ? 0 : size / n;
        List<Object> values = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            values.add(element(t, r * width + i));
        }
        return values;
    }

    private static Object element(Tensor t, int i) {
        return switch (t.data()) {
            case float[] a -> a[i];
            case double[] a -> a[i];
            case long[] a -> a[i];
            case int[] a -> a[i];
            case boolean[] a -> a[i];
            case String[] a -> a[i];
            default -> throw new IllegalStateException("tensor data " + t.data().getClass());
        };
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public boolean isClosed() {
        return model.isClosed();
    }

    // ---- what the log records as a row's inputs, without copying the request ----------------------

    /** The rows' inputs, each made when the log's sender reads it. */
    private static final class Rows extends AbstractList<Map<String, Object>> {
        private final int size;
        private final IntFunction<Map<String, Object>> row;

        Rows(int size, IntFunction<Map<String, Object>> row) {
            this.size = size;
            this.row = row;
        }

        @Override
        public Map<String, Object> get(int index) {
            return row.apply(index);
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** One row's inputs by feature name, in the signature's order: a read-only view of the request's data. */
    static final class FeatureRow extends AbstractMap<String, Object> {
        private final String[] features;
        private final IntFunction<Object> value;

        FeatureRow(String[] features, IntFunction<Object> value) {
            this.features = features;
            this.value = value;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int c;

                        @Override
                        public boolean hasNext() {
                            return c < features.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (c >= features.length) {
                                throw new NoSuchElementException();
                            }
                            int at = c++;
                            return new SimpleImmutableEntry<>(features[at], value.apply(at));
                        }
                    };
                }

                @Override
                public int size() {
                    return features.length;
                }
            };
        }
    }
}
