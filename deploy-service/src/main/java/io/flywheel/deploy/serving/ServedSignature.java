package io.flywheel.deploy.serving;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A served version's features, by name and in order (the registry signature's inputs, or what the
 * artifact declares when the version has none), and the name of its output. Requests in the tabular
 * form send one input per feature; the prediction log records inputs under these names, which is
 * what the monitor computes drift on, whatever the model's format.
 */
public final class ServedSignature {

    /** One feature: its name and type (number, integer, string, boolean). */
    public record InputSpec(String name, String type) {
        /** The v2 datatypes a value of this type may arrive as. */
        public boolean accepts(String datatype) {
            return switch (type) {
                case "number" -> datatype.startsWith("FP") || datatype.startsWith("INT") || datatype.startsWith("UINT");
                case "integer" -> datatype.startsWith("INT") || datatype.startsWith("UINT") || datatype.startsWith("FP");
                case "boolean" -> datatype.equals("BOOL");
                case "string" -> datatype.equals("BYTES");
                default -> false;
            };
        }

        /** The v2 datatype the metadata endpoint announces for it. */
        public String datatype() {
            return datatypeOf(type);
        }
    }

    /** The signature's types. */
    public static final List<String> TYPES = List.of("number", "integer", "string", "boolean");

    private final String model;
    private final int version;
    private final List<InputSpec> inputs;
    private final Map<String, InputSpec> byName;
    private final String outputName;
    private final String inputNames;

    public ServedSignature(String model, int version, List<InputSpec> inputs, String outputName) {
        this.model = model;
        this.version = version;
        this.inputs = List.copyOf(inputs);
        this.byName = new HashMap<>(inputs.size() * 2);
        for (InputSpec spec : inputs) {
            byName.put(spec.name(), spec);
        }
        this.outputName = outputName;
        this.inputNames = String.join(", ", inputs.stream().map(InputSpec::name).toList());
    }

    /** The v2 datatype of a signature type. */
    public static String datatypeOf(String type) {
        return switch (type) {
            case "integer" -> "INT64";
            case "boolean" -> "BOOL";
            case "string" -> "BYTES";
            default -> "FP64";
        };
    }

    public String model() {
        return model;
    }

    public int version() {
        return version;
    }

    public List<InputSpec> inputs() {
        return inputs;
    }

    public InputSpec input(String name) {
        return byName.get(name);
    }

    public List<String> names() {
        return inputs.stream().map(InputSpec::name).toList();
    }

    public String outputName() {
        return outputName;
    }

    /** The input names, comma-separated, for messages. */
    public String inputNames() {
        return inputNames;
    }
}
