package io.flywheel.deploy.external;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A version served by an external Open Inference Protocol v2 endpoint: it turns deploy's rows
 * (feature name → value, checked against the version's signature as for any other format) into the
 * request the endpoint's metadata asks for, and its answer into the outputs deploy returns and the
 * output the prediction log records.
 *
 * <p>The request takes one of two layouts, read from the endpoint's metadata ({@code GET <url>})
 * by the rules the contract gives for ONNX graphs:
 * <ul>
 *   <li><b>matrix</b>: the endpoint declares one input of shape {@code [-1, k]} and the signature names
 *       k features: one tensor {@code [n, k]}, the features as columns in signature order, in the
 *       input's datatype;</li>
 *   <li><b>per feature</b>: every feature is an input of the endpoint by name: one tensor per feature,
 *       {@code [n]} or {@code [n, 1]} as the endpoint declares, in its datatype (the signature's type's
 *       v2 datatype when it declares none).</li>
 * </ul>
 * Anything else can't be served ({@link NotServableException}, at load, so a promotion's servable
 * gate says why). A version without a signature takes its features from the endpoint's inputs, by
 * the same rules.
 *
 * <p>The log's output per row follows the contract: a <b>classifier</b> (an output {@code [n, c]} of
 * probabilities, c ≥ 2, and an output {@code [n]} of labels) logs {@code {"probability", "label"}},
 * the probability of the positive class: the column labelled {@code 1} or {@code true} (labels from
 * the output's {@code parameters.labels}, as the test server and ONNX's ZipMap give them), else the
 * last; a <b>regression</b> (one output of n numbers, {@code [n]} or {@code [n, 1]}) logs the value;
 * anything else logs the row's values by output name.
 */
public final class ExternalModel {

    /** A feature of the version's signature: name and type (number, integer, string, boolean). */
    public record Feature(String name, String type) {
    }

    /** What the endpoint answered: its outputs (to return) and, per row, what the prediction log records. */
    public record Answer(V2.InferResponse response, List<Object> logged) {
    }

    /** The endpoint's inputs don't fit the version's signature (or it declares none we can feed). */
    public static final class NotServableException extends IllegalArgumentException {
        public NotServableException(String message) {
            super(message);
        }
    }

    private enum Layout { MATRIX, PER_FEATURE }

    private final V2Client client;
    private final V2.ModelMetadata metadata;
    private final List<Feature> features;
    private final Layout layout;
    private final String matrixInput;
    private final String matrixDatatype;
    private final String[] datatypes;
    private final boolean[] columnShape;

    private ExternalModel(V2Client client, V2.ModelMetadata metadata, List<Feature> features, Layout layout, String matrixInput,
                          String matrixDatatype, String[] datatypes, boolean[] columnShape) {
        this.client = client;
        this.metadata = metadata;
        this.features = List.copyOf(features);
        this.layout = layout;
        this.matrixInput = matrixInput;
        this.matrixDatatype = matrixDatatype;
        this.datatypes = datatypes;
        this.columnShape = columnShape;
    }

    /** Reads the endpoint's metadata and fits the signature to it; fails as {@link #of} or as the call does. */
    public static CompletableFuture<ExternalModel> connect(V2Client client, List<Feature> features) {
        return client.metadata().thenApply(metadata -> of(client, features, metadata));
    }

    /**
     * Fits the version's features to the endpoint's declared inputs.
     *
     * @throws NotServableException saying how they don't fit
     */
    public static ExternalModel of(V2Client client, List<Feature> signature, V2.ModelMetadata metadata) {
        List<V2.TensorSpec> inputs = metadata.inputs();
        List<Feature> features = signature == null || signature.isEmpty() ? featuresOf(inputs) : signature;
        Map<String, V2.TensorSpec> byName = new HashMap<>();
        for (V2.TensorSpec spec : inputs) {
            byName.put(spec.name(), spec);
        }
        if (inputs.size() == 1 && !byName.containsKey(features.getFirst().name())) {
            V2.TensorSpec only = inputs.getFirst();
            List<Long> shape = only.shape();
            if (shape != null && shape.size() == 2 && shape.get(1) == features.size()) {
                String datatype = only.datatype() == null ? "FP64" : only.datatype().toUpperCase(Locale.ROOT);
                if (!datatype.startsWith("FP") && !datatype.startsWith("INT")) {
                    throw new NotServableException("the endpoint's input '" + only.name() + "' is a " + datatype
                            + " matrix; deploy fills a matrix only with numbers");
                }
                for (Feature f : features) {
                    if (!"number".equals(f.type()) && !"integer".equals(f.type())) {
                        throw new NotServableException("the endpoint takes one matrix '" + only.name() + "', so every feature must be a number; '"
                                + f.name() + "' is " + f.type());
                    }
                }
                return new ExternalModel(client, metadata, features, Layout.MATRIX, only.name(), datatype, null, null);
            }
            throw new NotServableException("the endpoint takes one input '" + only.name() + "' of shape " + shape
                    + ", which is neither the signature's " + features.size() + " features by name nor a [-1, " + features.size() + "] matrix");
        }
        String[] datatypes = new String[features.size()];
        boolean[] column = new boolean[features.size()];
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            V2.TensorSpec spec = byName.get(f.name());
            if (spec == null) {
                throw new NotServableException("the endpoint has no input '" + f.name() + "' (a feature of the signature); its inputs are "
                        + inputs.stream().map(V2.TensorSpec::name).toList());
            }
            List<Long> shape = spec.shape();
            if (shape != null && !(shape.size() == 1 || shape.size() == 2 && shape.get(1) == 1)) {
                throw new NotServableException("the endpoint's input '" + f.name() + "' has shape " + shape + "; a feature is [-1] or [-1, 1]");
            }
            column[i] = shape != null && shape.size() == 2;
            datatypes[i] = spec.datatype() != null ? spec.datatype().toUpperCase(Locale.ROOT) : datatypeOf(f.type());
        }
        if (inputs.size() != features.size()) {
            List<String> extra = inputs.stream().map(V2.TensorSpec::name)
                    .filter(n -> features.stream().noneMatch(f -> f.name().equals(n))).toList();
            throw new NotServableException("the endpoint also takes " + extra + ", which the signature does not name");
        }
        return new ExternalModel(client, metadata, features, Layout.PER_FEATURE, null, null, datatypes, column);
    }

    /**
     * The features when the version has no signature, from the endpoint's inputs as the contract fills
     * them for ONNX: one matrix {@code [-1, k]} gives {@code <input>_0} … {@code <input>_{k-1}}, numbers;
     * inputs {@code [-1]} or {@code [-1, 1]} are the features by name, typed by datatype (FP → number,
     * INT/UINT → integer, BOOL → boolean, BYTES → string).
     */
    private static List<Feature> featuresOf(List<V2.TensorSpec> inputs) {
        List<Feature> features = new ArrayList<>();
        if (inputs.size() == 1 && inputs.getFirst().shape() != null && inputs.getFirst().shape().size() == 2
                && inputs.getFirst().shape().get(1) > 1) {
            V2.TensorSpec matrix = inputs.getFirst();
            for (int i = 0; i < matrix.shape().get(1); i++) {
                features.add(new Feature(matrix.name() + "_" + i, "number"));
            }
            return features;
        }
        for (V2.TensorSpec spec : inputs) {
            String datatype = spec.datatype() == null ? "" : spec.datatype().toUpperCase(Locale.ROOT);
            String type = datatype.startsWith("FP") ? "number" : datatype.startsWith("INT") || datatype.startsWith("UINT") ? "integer"
                    : datatype.equals("BOOL") ? "boolean" : datatype.equals("BYTES") ? "string" : null;
            if (type == null) {
                throw new NotServableException("the version has no signature and the endpoint's input '" + spec.name()
                        + "' has datatype '" + spec.datatype() + "', which no feature type fits; register a signature");
            }
            features.add(new Feature(spec.name(), type));
        }
        return features;
    }

    /** The features callers send, in order: the signature's, or those read from the endpoint when the version has none. */
    public List<Feature> features() {
        return features;
    }

    /** What the endpoint declared (its outputs are what deploy's v2 metadata announces for the version). */
    public V2.ModelMetadata metadata() {
        return metadata;
    }

    /** Scores the rows (checked against the signature already) at the endpoint; fails with {@link ExternalCallException}. */
    public CompletableFuture<Answer> infer(String requestId, List<Map<String, Object>> rows) {
        return client.infer(request(requestId, rows)).thenApply(response -> new Answer(response, logged(response, rows.size())));
    }

    /** {@code GET <url>/ready}: true when the endpoint answers 200. */
    public CompletableFuture<Boolean> ready() {
        return client.ready();
    }

    public V2Client client() {
        return client;
    }

    /** The request the endpoint gets for these rows. */
    public V2.InferRequest request(String requestId, List<Map<String, Object>> rows) {
        int n = rows.size();
        List<V2.Tensor> inputs = new ArrayList<>(layout == Layout.MATRIX ? 1 : features.size());
        if (layout == Layout.MATRIX) {
            List<Object> data = new ArrayList<>(n * features.size());
            boolean integral = matrixDatatype.startsWith("INT");
            for (Map<String, Object> row : rows) {
                for (Feature f : features) {
                    data.add(number(row.get(f.name()), integral));
                }
            }
            inputs.add(new V2.Tensor(matrixInput, matrixDatatype, List.of((long) n, (long) features.size()), data, null));
        } else {
            for (int i = 0; i < features.size(); i++) {
                String name = features.get(i).name();
                String datatype = datatypes[i];
                boolean numeric = datatype.startsWith("FP") || datatype.startsWith("INT") || datatype.startsWith("UINT");
                boolean integral = !datatype.startsWith("FP");
                List<Object> data = new ArrayList<>(n);
                for (Map<String, Object> row : rows) {
                    Object v = row.get(name);
                    data.add(numeric ? number(v, integral) : v);
                }
                inputs.add(new V2.Tensor(name, datatype, columnShape[i] ? List.of((long) n, 1L) : List.of((long) n), data, null));
            }
        }
        return new V2.InferRequest(requestId, null, inputs);
    }

    /** Per row, what the prediction log records as the output (see the class comment). */
    public static List<Object> logged(V2.InferResponse response, int rows) {
        List<V2.Tensor> outputs = response.outputs();
        for (V2.Tensor t : outputs) {
            if (t.data() == null || t.data().size() % Math.max(rows, 1) != 0) {
                throw new ExternalCallException(ExternalCallException.Kind.BAD_GATEWAY, "the endpoint's output '" + t.name() + "' has "
                        + (t.data() == null ? "no" : t.data().size()) + " values for " + rows + " row(s)");
            }
        }
        V2.Tensor probabilities = null;
        V2.Tensor labels = null;
        for (V2.Tensor t : outputs) {
            int perRow = t.data().size() / Math.max(rows, 1);
            if (perRow >= 2 && probabilities == null && isFloat(t)) {
                probabilities = t;
            } else if (perRow == 1 && labels == null && t.shape() != null && t.shape().size() == 1) {
                labels = t;
            }
        }
        List<Object> logged = new ArrayList<>(rows);
        if (probabilities != null && labels != null && outputs.size() == 2) {
            int classes = probabilities.data().size() / rows;
            int positive = positiveColumn(probabilities, classes);
            for (int r = 0; r < rows; r++) {
                Map<String, Object> out = new LinkedHashMap<>(4);
                out.put("probability", toDouble(probabilities.data().get(r * classes + positive)));
                out.put("label", labels.data().get(r));
                logged.add(out);
            }
            return logged;
        }
        if (outputs.size() == 1 && outputs.getFirst().data().size() == rows && isNumeric(outputs.getFirst())) {
            for (int r = 0; r < rows; r++) {
                logged.add(toDouble(outputs.getFirst().data().get(r)));
            }
            return logged;
        }
        for (int r = 0; r < rows; r++) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (V2.Tensor t : outputs) {
                int perRow = t.data().size() / rows;
                out.put(t.name(), perRow == 1 ? t.data().get(r) : t.data().subList(r * perRow, (r + 1) * perRow));
            }
            logged.add(out);
        }
        return logged;
    }

    private static int positiveColumn(V2.Tensor probabilities, int classes) {
        Object labels = probabilities.parameters() == null ? null : probabilities.parameters().get("labels");
        if (labels instanceof List<?> list && list.size() == classes) {
            for (int c = 0; c < classes; c++) {
                String label = String.valueOf(list.get(c)).toLowerCase(Locale.ROOT);
                if (label.equals("1") || label.equals("true")) {
                    return c;
                }
            }
        }
        return classes - 1;
    }

    private static boolean isFloat(V2.Tensor t) {
        return t.datatype() != null && t.datatype().toUpperCase(Locale.ROOT).startsWith("FP");
    }

    private static boolean isNumeric(V2.Tensor t) {
        String d = t.datatype() == null ? "" : t.datatype().toUpperCase(Locale.ROOT);
        return d.startsWith("FP") || d.startsWith("INT") || d.startsWith("UINT");
    }

    private static double toDouble(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new ExternalCallException(ExternalCallException.Kind.BAD_GATEWAY, "the endpoint answered a non-number where a number belongs: " + v);
    }

    /** A number as the endpoint's datatype wants it written: whole for INT inputs (JSON 41, not 41.0). */
    private static Object number(Object v, boolean integral) {
        if (!(v instanceof Number n)) {
            return v;
        }
        if (integral) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) <= 0x1p53 ? (Object) n.longValue() : n;
        }
        return n instanceof Double || n instanceof Float ? n : n.doubleValue();
    }

    private static String datatypeOf(String type) {
        return switch (type) {
            case "integer" -> "INT64";
            case "boolean" -> "BOOL";
            case "string" -> "BYTES";
            default -> "FP64";
        };
    }
}
