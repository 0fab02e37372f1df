package io.flywheel.deploy.serving;

import io.flywheel.deploy.registry.RegistryVersion;
import io.flywheel.linear.FeatureType;
import io.flywheel.linear.LinearModel;
import io.flywheel.linear.ModelArtifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded model version: its flywheel-linear/v1 artifact and the signature its inputs are checked
 * against. Immutable and shared by every environment that serves the version.
 */
public final class ServedModel {

    /** One input of the signature: its name and type (number, integer, string, boolean). */
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
            return switch (type) {
                case "integer" -> "INT64";
                case "boolean" -> "BOOL";
                case "string" -> "BYTES";
                default -> "FP64";
            };
        }
    }

    private static final Set<String> TYPES = Set.of("number", "integer", "string", "boolean");

    private final String model;
    private final int version;
    private final LinearModel linear;
    private final List<InputSpec> inputs;
    private final Map<String, InputSpec> byName;
    private final String outputName;
    private final String inputNames;

    private ServedModel(String model, int version, LinearModel linear, List<InputSpec> inputs, String outputName) {
        this.model = model;
        this.version = version;
        this.linear = linear;
        this.inputs = List.copyOf(inputs);
        this.byName = new HashMap<>(inputs.size() * 2);
        for (InputSpec spec : inputs) {
            byName.put(spec.name(), spec);
        }
        this.outputName = outputName;
        this.inputNames = String.join(", ", inputs.stream().map(InputSpec::name).toList());
    }

    /**
     * Loads a version from its registry metadata and artifact bytes.
     *
     * @throws IllegalArgumentException saying why it can't be served (not flywheel-linear/v1, a
     *                                  feature the signature lacks, a malformed artifact)
     */
    public static ServedModel load(RegistryVersion version, byte[] artifact) {
        LinearModel linear;
        try {
            linear = LinearModel.read(new ByteArrayInputStream(artifact));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the artifact is not a " + ModelArtifact.FORMAT + " model: " + firstLine(e.getMessage()));
        }
        List<InputSpec> inputs = new ArrayList<>();
        RegistryVersion.Signature signature = version.signature();
        if (signature == null || signature.inputs() == null || signature.inputs().isEmpty()) {
            for (ModelArtifact.Feature f : linear.features()) {
                inputs.add(new InputSpec(f.name(), f.type().id()));
            }
        } else {
            for (RegistryVersion.Field field : signature.inputs()) {
                if (field == null || field.name() == null || !TYPES.contains(field.type())) {
                    throw new IllegalArgumentException("the signature has an input without a name or with a type other than "
                            + TYPES);
                }
                inputs.add(new InputSpec(field.name(), field.type()));
            }
            Map<String, String> declared = new HashMap<>();
            inputs.forEach(spec -> declared.put(spec.name(), spec.type()));
            for (ModelArtifact.Feature f : linear.features()) {
                String type = declared.get(f.name());
                if (type == null) {
                    throw new IllegalArgumentException("the artifact's feature '" + f.name() + "' is not in the version's signature");
                }
                if (!compatible(type, f.type())) {
                    throw new IllegalArgumentException("the signature says input '" + f.name() + "' is " + type
                            + ", the artifact's feature is " + f.type().id());
                }
            }
        }
        String outputName = signature != null && signature.output() != null && signature.output().name() != null
                ? signature.output().name() : linear.artifact().target().name();
        return new ServedModel(version.model(), version.version(), linear, inputs, outputName);
    }

    private static boolean compatible(String signatureType, FeatureType artifactType) {
        if (signatureType.equals(artifactType.id())) {
            return true;
        }
        return artifactType.isNumeric() && (signatureType.equals("number") || signatureType.equals("integer"));
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }

    public String model() {
        return model;
    }

    public int version() {
        return version;
    }

    public LinearModel linear() {
        return linear;
    }

    public List<InputSpec> inputs() {
        return inputs;
    }

    public InputSpec input(String name) {
        return byName.get(name);
    }

    public String outputName() {
        return outputName;
    }

    /** The input names, comma-separated, for messages. */
    public String inputNames() {
        return inputNames;
    }
}
