package io.flywheel.registry.prompt;

import java.util.List;
import java.util.Map;

/**
 * A version's content: a text template, or chat messages ({@code {"role", "content"}}) and
 * placeholders ({@code {"type": "placeholder", "name"}}). Exactly one of the two is set.
 */
public record PromptContent(String type, String text, List<Map<String, Object>> messages) {

    public static final String TEXT = "text";
    public static final String CHAT = "chat";

    public static PromptContent text(String text) {
        return new PromptContent(TEXT, text, null);
    }

    public static PromptContent chat(List<Map<String, Object>> messages) {
        return new PromptContent(CHAT, null, List.copyOf(messages));
    }

    /** The JSON value of {@code prompt}: the string, or the list. */
    public Object value() {
        return TEXT.equals(type) ? text : messages;
    }
}
