package io.flywheel.deploy.serving;

import java.util.List;

/**
 * What answers for one served version, by the version's format. Two kinds score synchronously on the
 * calling thread, the request's I/O thread, in microseconds: a {@link LinearScorer} (flywheel-linear/v1)
 * and an {@link OnnxScorer} (ONNX Runtime, one session shared by all threads). The third, an
 * {@link ExternalScorer} (an external v2 server), answers asynchronously ({@link ExternalScorer#scoreAsync});
 * {@link Inference} is the one place where the request path forks for it.
 *
 * <p>Sealed so that every place that must treat a kind differently is found by the compiler.
 */
public sealed interface Scorer permits LinearScorer, OnnxScorer, ExternalScorer {

    /** The version's format, as the registry names it (flywheel-linear, onnx, external). */
    String format();

    /** The platform the v2 model metadata announces. */
    String platform();

    /** The inputs the v2 model metadata announces. */
    List<TensorSpec> inputs();

    /** The outputs the v2 model metadata announces. */
    List<TensorSpec> outputs();

    /**
     * Scores a v2 request's inputs: the answer's outputs and, per row, what the prediction log records.
     *
     * @throws io.flywheel.deploy.InvalidInferenceInputException bad input, naming the input (400)
     * @throws ScorerClosedException                             the version left traffic meanwhile
     */
    Scores score(List<InferRequest.Input> inputs);

    /** Frees what the scorer holds outside the heap, after the scoring under way; later calls are refused. */
    void close();

    boolean isClosed();
}
