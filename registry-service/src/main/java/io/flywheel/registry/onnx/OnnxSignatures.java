package io.flywheel.registry.onnx;

import io.flywheel.onnx.OnnxGraph;
import io.flywheel.onnx.TabularInput;
import io.flywheel.onnx.ValueSpec;
import io.flywheel.registry.Feature;
import io.flywheel.registry.ModelRejectedException;
import io.flywheel.registry.Signature;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills an ONNX version's signature from its graph, or checks the one it was registered with
 * (docs/CONTRACTS.md "Model formats"). The signature's inputs stay the model's features:
 * <ul>
 *   <li>a graph that takes one matrix [n, k] (one FP32/FP64 input, as {@link TabularInput} feeds it):
 *       k features in column order, {@code <input>_0 … <input>_{k-1}} when none are named;</li>
 *   <li>a graph that takes one tensor per feature ([n] or [n, 1]): the features are its inputs by name,
 *       typed from their datatypes when none are named;</li>
 *   <li>the output is the graph's first output (a classifier's label).</li>
 * </ul>
 * Pure logic; a signature that does not fit is a {@link ModelRejectedException} saying why.
 */
public final class OnnxSignatures {

    private OnnxSignatures() {
    }

    /** The signature the version gets: {@code declared} when it fits the graph, else filled from the graph. */
    public static Signature fit(OnnxGraph graph, Signature declared) {
        List<Feature> inputs = TabularInput.fits(graph) ? matrixFeatures(graph, declared) : perFeatureInputs(graph, declared);
        Feature output = output(graph, declared);
        return new Signature(inputs, output);
    }

    private static List<Feature> matrixFeatures(OnnxGraph graph, Signature declared) {
        ValueSpec input = graph.inputs().getFirst();
        Long width = input.rank() == 2 && input.shape().get(1) >= 0 ? input.shape().get(1) : null;
        if (declared == null) {
            if (width == null) {
                throw misfit("its input '" + input.name() + "' (" + input.description() + ") is a matrix of no fixed"
                        + " width, so the registry can't name its features: register the version with a signature whose"
                        + " inputs name the features in column order");
            }
            List<Feature> features = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                features.add(new Feature(input.name() + "_" + i, "number"));
            }
            return features;
        }
        if (width != null && declared.inputs().size() != width) {
            throw misfit("its input '" + input.name() + "' (" + input.description() + ") takes " + width
                    + " features per row, the signature names " + declared.inputs().size()
                    + " (signature.inputs are the matrix's columns, in order)");
        }
        for (Feature feature : declared.inputs()) {
            if (feature.type().equals("string")) {
                throw misfit("signature feature '" + feature.name() + "' is a string, but the graph takes one "
                        + input.v2Datatype() + " matrix '" + input.name() + "' (" + input.description()
                        + "): its features are numbers (integer, number, or boolean as 1/0)");
            }
        }
        return List.copyOf(declared.inputs());
    }

    private static List<Feature> perFeatureInputs(OnnxGraph graph, Signature declared) {
        Map<String, ValueSpec> byName = new LinkedHashMap<>();
        for (ValueSpec input : graph.inputs()) {
            boolean column = input.kind() == ValueSpec.Kind.TENSOR
                    && (input.rank() == 1 || input.rank() == 2 && input.shape().get(1) == 1);
            if (!column) {
                throw misfit("the graph takes neither one [n, k] FP32/FP64 matrix nor one [n] or [n, 1] tensor per feature:"
                        + " input '" + input.name() + "' is " + input.description() + " (inputs: " + describe(graph) + ")");
            }
            byName.put(input.name(), input);
        }
        if (declared == null) {
            List<Feature> features = new ArrayList<>();
            byName.values().forEach(input -> features.add(new Feature(input.name(), featureType(input.v2Datatype()))));
            return features;
        }
        Set<String> named = new HashSet<>();
        for (Feature feature : declared.inputs()) {
            ValueSpec input = byName.get(feature.name());
            if (input == null) {
                throw misfit("signature feature '" + feature.name() + "' is no input of the graph, which takes one tensor"
                        + " per feature: " + describe(graph));
            }
            if (!accepts(input.v2Datatype(), feature.type(), false)) {
                throw misfit("signature feature '" + feature.name() + "' is typed " + feature.type() + ", but the graph's"
                        + " input '" + input.name() + "' is " + input.description() + " (" + input.v2Datatype()
                        + " takes " + featureType(input.v2Datatype()) + ")");
            }
            named.add(feature.name());
        }
        List<String> missing = byName.keySet().stream().filter(name -> !named.contains(name)).toList();
        if (!missing.isEmpty()) {
            throw misfit("the graph's inputs " + missing + " are not features of the signature; name every input: "
                    + describe(graph));
        }
        return List.copyOf(declared.inputs());
    }

    private static Feature output(OnnxGraph graph, Signature declared) {
        if (graph.outputs().isEmpty()) {
            throw misfit("the graph has no outputs");
        }
        ValueSpec first = graph.outputs().getFirst();
        String datatype = first.isSequenceOfMaps() && first.elementType() != null ? first.elementType().v2Datatype()
                : first.v2Datatype();
        if (declared == null || declared.output() == null) { // no output declared: the graph says it
            return new Feature(first.name(), featureType(datatype));
        }
        Feature output = declared.output();
        if (!output.name().equals(first.name())) {
            throw misfit("signature.output is '" + output.name() + "', but the graph's first output, which the version"
                    + " predicts, is '" + first.name() + "' (" + first.description() + ")");
        }
        if (!accepts(datatype, output.type(), true)) {
            throw misfit("signature.output '" + output.name() + "' is typed " + output.type() + ", but the graph's output is "
                    + first.description() + " (" + featureType(datatype) + ")");
        }
        return output;
    }

    /** A signature type for a v2 datatype: FP → number, INT → integer, BOOL → boolean, BYTES → string. */
    static String featureType(String datatype) {
        if (datatype == null) {
            return "number";
        }
        return switch (datatype) {
            case "BOOL" -> "boolean";
            case "BYTES" -> "string";
            case "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64" -> "integer";
            default -> "number";
        };
    }

    /**
     * Whether a signature type fits a datatype: its own type; an integer feature into a floating-point
     * input (not a number into an integer input: 2.5 would be refused when served); an integer output
     * (a class label) called a number (not a floating-point output called an integer).
     */
    private static boolean accepts(String datatype, String type, boolean output) {
        String natural = featureType(datatype);
        return natural.equals(type)
                || !output && natural.equals("number") && type.equals("integer")
                || output && natural.equals("integer") && type.equals("number");
    }

    private static String describe(OnnxGraph graph) {
        List<String> parts = new ArrayList<>();
        graph.inputs().forEach(input -> parts.add("'" + input.name() + "' " + input.description()));
        return String.join(", ", parts);
    }

    private static ModelRejectedException misfit(String why) {
        return new ModelRejectedException("the signature does not fit the ONNX graph: " + why);
    }
}
