package io.flywheel.deploy.serving;

import io.flywheel.deploy.InvalidInferenceInputException;
import io.flywheel.deploy.external.ExternalCallException;
import io.flywheel.deploy.external.ExternalModel;
import io.flywheel.deploy.external.V2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A version of format external: an Open Inference Protocol v2 server answers for it
 * ({@link ExternalModel}). Inputs are checked against the signature here, as for any format (a 400
 * naming the field), then sent; the answer comes back asynchronously, so {@link Inference} calls
 * {@link #scoreAsync} instead of {@link #score}. Holds nothing outside the heap: closing it only stops
 * new calls (a request routed to it just before is routed again).
 */
public final class ExternalScorer implements Scorer {

    public static final String FORMAT = "external";

    private final ExternalModel model;
    private final ServedSignature signature;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private volatile boolean closed;

    ExternalScorer(ExternalModel model, ServedSignature signature) {
        this.model = model;
        this.signature = signature;
        this.inputs = specs(model.metadata().inputs());
        this.outputs = model.metadata().outputs() == null ? List.of() : specs(model.metadata().outputs());
    }

    private static List<TensorSpec> specs(List<V2.TensorSpec> specs) {
        return specs.stream().map(s -> new TensorSpec(s.name(), s.datatype(), s.shape())).toList();
    }

    public ExternalModel model() {
        return model;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String platform() {
        String platform = model.metadata().platform();
        return platform == null || platform.isBlank() ? FORMAT : platform;
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    /** Not for this kind: its answer arrives later ({@link #scoreAsync}). */
    @Override
    public Scores score(List<InferRequest.Input> request) {
        throw new IllegalStateException("an external version scores asynchronously");
    }

    /**
     * Checks the inputs now (throwing {@link InvalidInferenceInputException} or {@link ScorerClosedException}
     * before anything is sent) and scores them at the endpoint. The future fails with
     * {@link InvalidInferenceInputException} when the endpoint refused the input, else with the
     * {@link ExternalCallException} that says why there is no answer.
     */
    public CompletableFuture<Scores> scoreAsync(List<InferRequest.Input> request, String requestId) {
        if (closed) {
            throw new ScorerClosedException("model " + signature.model() + " version " + signature.version() + " left traffic");
        }
        List<Map<String, Object>> rows = InferenceInputs.rows(signature, request);
        return model.infer(requestId, rows).handle((answer, failure) -> {
            if (failure != null) {
                throw translate(failure);
            }
            List<InferResponse.Output> out = new ArrayList<>(answer.response().outputs().size());
            for (V2.Tensor t : answer.response().outputs()) {
                out.add(new InferResponse.Output(t.name(), shape(t.shape()), t.datatype(), t.parameters(), t.data()));
            }
            return new Scores(rows.size(), out, rows, answer.logged());
        });
    }

    private static RuntimeException translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ExternalCallException e && e.kind() == ExternalCallException.Kind.INVALID_INPUT) {
            return new InvalidInferenceInputException("inputs", e.getMessage());
        }
        return cause instanceof RuntimeException r ? r : new CompletionException(cause);
    }

    private static List<Integer> shape(List<Long> shape) {
        if (shape == null) {
            return null;
        }
        List<Integer> ints = new ArrayList<>(shape.size());
        for (Long d : shape) {
            ints.add(d == null ? null : d.intValue());
        }
        return ints;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }
}
