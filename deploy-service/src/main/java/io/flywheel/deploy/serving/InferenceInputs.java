package io.flywheel.deploy.serving;

import io.flywheel.deploy.InvalidInferenceInputException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a v2 request's inputs against a version's signature and turns them into rows (feature
 * name to value), one per element of the inputs' data. Every refusal names the input it concerns,
 * says what is wrong and what would be right. Plain Java.
 */
public final class InferenceInputs {

    private InferenceInputs() {
    }

    /** The rows of a request, in order. */
    public static List<Map<String, Object>> rows(ServedSignature model, List<InferRequest.Input> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new InvalidInferenceInputException("inputs", "inputs is required: one entry per input of the signature ("
                    + model.inputNames() + ")");
        }
        Map<String, List<Object>> data = new HashMap<>(inputs.size() * 2);
        int rows = -1;
        String first = null;
        for (InferRequest.Input input : inputs) {
            if (input == null || input.name() == null || input.name().isBlank()) {
                throw new InvalidInferenceInputException("inputs", "every input needs a name; the signature takes " + model.inputNames());
            }
            String name = input.name();
            ServedSignature.InputSpec spec = model.input(name);
            if (spec == null) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' is not in the signature of model '"
                        + model.model() + "' version " + model.version() + "; it takes " + model.inputNames());
            }
            List<Object> values = flatten(input.data());
            if (values == null || values.isEmpty()) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' has no data: send one value per row");
            }
            if (data.put(name, values) != null) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' is given twice");
            }
            if (rows < 0) {
                rows = values.size();
                first = name;
            } else if (values.size() != rows) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' has " + values.size() + " value(s), input '"
                        + first + "' has " + rows + ": every input needs one value per row");
            }
            checkShape(name, input.shape(), values.size());
            if (input.datatype() != null && !spec.accepts(input.datatype())) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' has datatype " + input.datatype()
                        + ", but the signature says " + spec.type() + ": send " + spec.datatype());
            }
            for (int i = 0; i < values.size(); i++) {
                check(spec, values.get(i), values.size() > 1 ? i : -1);
            }
        }
        for (ServedSignature.InputSpec spec : model.inputs()) {
            if (!data.containsKey(spec.name())) {
                throw new InvalidInferenceInputException(spec.name(), "input '" + spec.name() + "' is missing; model '"
                        + model.model() + "' version " + model.version() + " takes " + model.inputNames());
            }
        }
        List<Map<String, Object>> result = new ArrayList<>(rows);
        int capacity = model.inputs().size() * 2;
        for (int i = 0; i < rows; i++) {
            Map<String, Object> row = new HashMap<>(capacity);
            for (ServedSignature.InputSpec spec : model.inputs()) {
                row.put(spec.name(), data.get(spec.name()).get(i));
            }
            result.add(row);
        }
        return result;
    }

    private static void checkShape(String name, List<Long> shape, int values) {
        if (shape == null || shape.isEmpty()) {
            return;
        }
        long product = 1;
        for (Long dimension : shape) {
            if (dimension == null || dimension < 0) {
                throw new InvalidInferenceInputException(name, "input '" + name + "' has shape " + shape
                        + ": dimensions are whole numbers, 0 or more");
            }
            product *= dimension;
        }
        if (product != values) {
            throw new InvalidInferenceInputException(name, "input '" + name + "' has shape " + shape + " but " + values
                    + " value(s): send shape [" + values + "]");
        }
    }

    private static void check(ServedSignature.InputSpec spec, Object value, int row) {
        String where = "input '" + spec.name() + "'" + (row >= 0 ? " (row " + row + ")" : "");
        switch (spec.type()) {
            case "number" -> {
                if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    throw wrong(spec, where, "a finite number", value);
                }
            }
            case "integer" -> {
                if (!(value instanceof Number n) || !isWhole(n)) {
                    throw wrong(spec, where, "an integer", value);
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) {
                    throw wrong(spec, where, "a boolean (true or false)", value);
                }
            }
            case "string" -> {
                if (!(value instanceof String)) {
                    throw wrong(spec, where, "a string", value);
                }
            }
            default -> throw new IllegalStateException("signature type " + spec.type());
        }
    }

    private static boolean isWhole(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte || n instanceof BigInteger) {
            return true;
        }
        if (n instanceof BigDecimal d) {
            return d.stripTrailingZeros().scale() <= 0;
        }
        double d = n.doubleValue();
        return Double.isFinite(d) && d == Math.rint(d);
    }

    private static InvalidInferenceInputException wrong(ServedSignature.InputSpec spec, String where, String expected, Object value) {
        return new InvalidInferenceInputException(spec.name(), where + " must be " + expected + ", got " + describe(value));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "a string (\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\")";
        }
        if (value instanceof Boolean b) {
            return "a boolean (" + b + ")";
        }
        if (value instanceof Number n) {
            return "a number (" + n + ")";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return "an object";
    }

    /** v2 allows data nested by shape; rows and tensors are read flat, in row-major order. */
    @SuppressWarnings("unchecked")
    static List<Object> flatten(List<Object> data) {
        if (data == null) {
            return null;
        }
        boolean nested = false;
        for (Object o : data) {
            if (o instanceof List<?>) {
                nested = true;
                break;
            }
        }
        if (!nested) {
            return data;
        }
        List<Object> flat = new ArrayList<>();
        for (Object o : data) {
            if (o instanceof List<?> inner) {
                List<Object> innerFlat = flatten((List<Object>) inner);
                flat.addAll(innerFlat);
            } else {
                flat.add(o);
            }
        }
        return flat;
    }
}
