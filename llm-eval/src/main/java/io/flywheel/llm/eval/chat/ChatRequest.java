package io.flywheel.llm.eval.chat;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One chat completion to ask for: the model, the messages, and the remaining parameters as the
 * prompt's config gives them ({@code temperature}, {@code max_tokens}, ...), sent as they are.
 */
public record ChatRequest(String model, List<ChatMessage> messages, Map<String, Object> parameters) {

    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
    }
}
