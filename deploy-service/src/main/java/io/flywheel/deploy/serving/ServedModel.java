package io.flywheel.deploy.serving;

import io.flywheel.deploy.registry.RegistryVersion;
import io.flywheel.linear.FeatureType;
import io.flywheel.linear.LinearModel;
import io.flywheel.linear.ModelArtifact;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded model version: its signature and the {@link Scorer} its format needs. Shared by every
 * environment that serves the version; {@link #close} frees what the scorer holds outside the heap
 * (an ONNX session) once nothing serves the version any more.
 */
public final class ServedModel {

    private final String model;
    private final int version;
    private final ServedSignature signature;
    private final Scorer scorer;
    private volatile boolean retired;

    private ServedModel(String model, int version, ServedSignature signature, Scorer scorer) {
        this.model = model;
        this.version = version;
        this.signature = signature;
        this.scorer = scorer;
    }

    /**
     * Loads a version from its registry metadata and artifact bytes, by its format
     * (docs/CONTRACTS.md, "Model formats"): {@code flywheel-linear} (also {@code json} and none), {@code onnx}.
     *
     * @throws IllegalArgumentException saying why it can't be served (another format, an artifact that
     *                                  is not of its format, a signature that does not fit it)
     */
    public static ServedModel load(RegistryVersion version, byte[] artifact) {
        String format = version.format() == null || version.format().equals("json") ? LinearScorer.FORMAT : version.format();
        List<ServedSignature.InputSpec> declared = declared(version.signature());
        String outputName = version.signature() != null && version.signature().output() != null
                ? version.signature().output().name() : null;
        return switch (format) {
            case LinearScorer.FORMAT -> linear(version, declared, outputName, artifact);
            case OnnxScorer.FORMAT -> {
                OnnxScorer onnx = OnnxScorer.load(version.model(), version.version(), declared, outputName, labels(version), artifact);
                yield new ServedModel(version.model(), version.version(), onnx.signature(), onnx);
            }
            default -> throw new IllegalArgumentException("format '" + format + "' is not one deploy's runtime serves ("
                    + LinearScorer.FORMAT + ", " + OnnxScorer.FORMAT + ")");
        };
    }

    /**
     * A version of format external, once its endpoint's metadata was read and fitted to the signature
     * ({@link io.flywheel.deploy.external.ExternalServing#load}).
     */
    public static ServedModel external(RegistryVersion version, io.flywheel.deploy.external.ExternalModel endpoint) {
        List<ServedSignature.InputSpec> inputs = endpoint.features().stream()
                .map(f -> new ServedSignature.InputSpec(f.name(), f.type())).toList();
        String outputName = version.signature() != null && version.signature().output() != null
                ? version.signature().output().name()
                : endpoint.metadata().outputs() == null || endpoint.metadata().outputs().isEmpty() ? "output"
                : endpoint.metadata().outputs().getFirst().name();
        ServedSignature signature = new ServedSignature(version.model(), version.version(), inputs, outputName);
        return new ServedModel(version.model(), version.version(), signature, new ExternalScorer(endpoint, signature));
    }

    /** The features of a version's signature as the external endpoint is fitted to them; empty when it has none. */
    public static List<io.flywheel.deploy.external.ExternalModel.Feature> features(RegistryVersion version) {
        return declared(version.signature()).stream()
                .map(i -> new io.flywheel.deploy.external.ExternalModel.Feature(i.name(), i.type())).toList();
    }

    /** The signature's inputs, checked; empty when the version has none. */
    private static List<ServedSignature.InputSpec> declared(RegistryVersion.Signature signature) {
        List<ServedSignature.InputSpec> inputs = new ArrayList<>();
        if (signature == null || signature.inputs() == null) {
            return inputs;
        }
        for (RegistryVersion.Field field : signature.inputs()) {
            if (field == null || field.name() == null || !ServedSignature.TYPES.contains(field.type())) {
                throw new IllegalArgumentException("the signature has an input without a name or with a type other than "
                        + ServedSignature.TYPES);
            }
            inputs.add(new ServedSignature.InputSpec(field.name(), field.type()));
        }
        return inputs;
    }

    /** Class labels per output as the registry read them from the graph (its {@code onnx} field), if it did. */
    private static Map<String, List<String>> labels(RegistryVersion version) {
        Map<String, List<String>> labels = new HashMap<>();
        if (version.onnx() != null && version.onnx().outputs() != null) {
            for (RegistryVersion.OnnxValue output : version.onnx().outputs()) {
                if (output != null && output.name() != null && output.labels() != null && !output.labels().isEmpty()) {
                    labels.put(output.name(), List.copyOf(output.labels()));
                }
            }
        }
        return labels;
    }

    private static ServedModel linear(RegistryVersion version, List<ServedSignature.InputSpec> declared, String outputName,
                                      byte[] artifact) {
        LinearModel linear;
        try {
            linear = LinearModel.read(new ByteArrayInputStream(artifact));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the artifact is not a " + ModelArtifact.FORMAT + " model: " + firstLine(e.getMessage()));
        }
        List<ServedSignature.InputSpec> inputs = declared;
        if (inputs.isEmpty()) {
            inputs = new ArrayList<>();
            for (ModelArtifact.Feature f : linear.features()) {
                inputs.add(new ServedSignature.InputSpec(f.name(), f.type().id()));
            }
        } else {
            Map<String, String> types = new HashMap<>();
            inputs.forEach(spec -> types.put(spec.name(), spec.type()));
            for (ModelArtifact.Feature f : linear.features()) {
                String type = types.get(f.name());
                if (type == null) {
                    throw new IllegalArgumentException("the artifact's feature '" + f.name() + "' is not in the version's signature");
                }
                if (!compatible(type, f.type())) {
                    throw new IllegalArgumentException("the signature says input '" + f.name() + "' is " + type
                            + ", the artifact's feature is " + f.type().id());
                }
            }
        }
        ServedSignature signature = new ServedSignature(version.model(), version.version(), inputs,
                outputName != null ? outputName : linear.artifact().target().name());
        return new ServedModel(version.model(), version.version(), signature, new LinearScorer(linear, signature));
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

    public ServedSignature signature() {
        return signature;
    }

    public Scorer scorer() {
        return scorer;
    }

    public String format() {
        return scorer.format();
    }

    /** Frees the scorer's native resources after the scoring under way; the version must serve nothing any more. */
    public void close() {
        retired = true;
        scorer.close();
    }

    /** Marks it to be closed: it serves nothing any more, and is not to be routed to again (it would be loaded anew). */
    void retire() {
        retired = true;
    }

    /** Retired or closed: never to be put into a route. */
    public boolean isRetired() {
        return retired;
    }

    public boolean isClosed() {
        return scorer.isClosed();
    }

    @Override
    public String toString() {
        return "ServedModel[" + model + " v" + version + ", " + scorer.format() + (isClosed() ? ", closed]" : "]");
    }
}
