package io.flywheel.llm.eval.chat;

/** The tokens a completion used, as the endpoint reported them (OpenAI's {@code usage}). */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);
}
