package io.flywheel.llm.eval;

/**
 * Turns one output into a score. Deterministic evaluators are pure; an LLM-as-judge one calls a chat
 * endpoint and may throw {@link io.flywheel.llm.eval.chat.ChatEndpointException}.
 */
public interface Evaluator {

    /** The score's name, e.g. {@code exact_match}; unique among the evaluators of one run. */
    String name();

    EvalScore evaluate(EvalCase evalCase);
}
