package io.flywheel.monitor.llm.online;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A generation's stored input or output as the text an evaluator reads: a string as it is, a chat
 * message ({@code {"role", "content"}}) by its content, a list of messages one {@code role: content}
 * line each, anything else as its JSON. Plain logic.
 */
final class GenerationText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GenerationText() {
    }

    static String of(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Map<?, ?> m when m.get("content") instanceof String content -> content;
            case List<?> l when !l.isEmpty() && l.stream().allMatch(GenerationText::isMessage) -> l.stream()
                    .map(m -> ((Map<?, ?>) m).get("role") + ": " + ((Map<?, ?>) m).get("content"))
                    .collect(Collectors.joining("\n"));
            default -> json(value);
        };
    }

    private static boolean isMessage(Object o) {
        return o instanceof Map<?, ?> m && m.get("role") instanceof String && m.get("content") instanceof String;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
