package io.flywheel.deploy.serving;

import io.flywheel.deploy.InvalidInferenceInputException;
import io.flywheel.linear.InvalidInputException;
import io.flywheel.linear.LinearModel;
import io.flywheel.linear.Prediction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A flywheel-linear/v1 version: one input per feature (checked against the signature by
 * {@link InferenceInputs}), one FP64 output, one value per row. Holds nothing outside the heap.
 */
public final class LinearScorer implements Scorer {

    public static final String FORMAT = "flywheel-linear";

    private final LinearModel linear;
    private final ServedSignature signature;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;

    LinearScorer(LinearModel linear, ServedSignature signature) {
        this.linear = linear;
        this.signature = signature;
        this.inputs = signature.inputs().stream().map(i -> new TensorSpec(i.name(), i.datatype(), List.of(-1L))).toList();
        this.outputs = List.of(new TensorSpec(signature.outputName(), "FP64", List.of(-1L)));
    }

    public LinearModel linear() {
        return linear;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String platform() {
        return FORMAT;
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public Scores score(List<InferRequest.Input> request) {
        List<Map<String, Object>> rows = InferenceInputs.rows(signature, request);
        double[] scores = new double[rows.size()];
        Object[] logged = new Object[rows.size()];
        try {
            for (int i = 0; i < scores.length; i++) {
                Prediction p = linear.predict(rows.get(i));
                scores[i] = p.score();
                logged[i] = logged(p);
            }
        } catch (InvalidInputException e) {
            throw new InvalidInferenceInputException(e.feature() == null ? "inputs" : e.feature(), e.getMessage());
        }
        return new Scores(rows.size(), List.of(new InferResponse.Output(signature.outputName(), List.of(scores.length), "FP64",
                V2Data.list(scores))), rows, List.of(logged));
    }

    /** What the log records as the output: the probability and label of a classification, the value of a regression. */
    private static Object logged(Prediction p) {
        return switch (p) {
            case Prediction.Classification c -> {
                Map<String, Object> out = new LinkedHashMap<>(4);
                out.put("probability", c.probability());
                out.put("label", c.label());
                yield out;
            }
            case Prediction.Regression r -> r.value();
        };
    }

    @Override
    public void close() {
        // all on the heap
    }

    @Override
    public boolean isClosed() {
        return false;
    }
}
