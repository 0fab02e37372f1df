package io.flywheel.llm.eval.chat;

import java.time.Duration;

/** The endpoint's answer: the assistant's text, the model that answered, the usage and how long it took. */
public record ChatCompletion(String content, String model, TokenUsage usage, Duration latency) {
}
