package io.flywheel.registry.prompt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a prompt's name, labels and content may be: Langfuse's rules (names without {@code |}, not
 * {@code new}, {@code metrics} or {@code prompt-detail}; labels {@code [a-z0-9_\-.]}, at most 36;
 * {@code latest} derived), plus what Flywheel's routes need: a name is read from the path with its
 * folders as literal slashes, so its segments can't be empty, dots, or the words the routes use.
 * Each method returns why a value is refused, or empty. Plain Java, no framework types.
 */
public final class PromptRules {

    public static final String LATEST = "latest";
    public static final String PRODUCTION = "production";
    public static final int MAX_NAME = 255;
    public static final int MAX_LABEL = 36;
    public static final int MAX_COMMIT_MESSAGE = 500;
    public static final int MAX_TAG = 100;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_\\-.]+");
    /** Langfuse's own reserved names (its UI's routes). */
    private static final Set<String> RESERVED_NAMES = Set.of("new", "metrics", "prompt-detail");
    /** Words of Flywheel's routes after a name: /versions, /labels/{label}, /compile. */
    private static final Set<String> RESERVED_SEGMENTS = Set.of("versions", "labels", "compile");

    private PromptRules() {
    }

    public static Optional<String> nameRefusal(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("name is required");
        }
        if (name.length() > MAX_NAME) {
            return Optional.of("name is limited to " + MAX_NAME + " characters");
        }
        if (RESERVED_NAMES.contains(name)) {
            return Optional.of("name can't be 'new', 'metrics' or 'prompt-detail' (reserved by Langfuse)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '|' || c == ';' || c == '\\' || Character.isISOControl(c)) {
                return Optional.of("name may not contain '|', ';', '\\' or control characters");
            }
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.of("name '" + name + "' has an empty or dot folder: '/' separates folders, e.g. team-a/summarizer");
            }
            if (RESERVED_SEGMENTS.contains(segment)) {
                return Optional.of("a name's folders can't be called 'versions', 'labels' or 'compile' (words of the prompt routes)");
            }
        }
        return Optional.empty();
    }

    /**
     * Why a value can't be stored: PostgreSQL's text and jsonb hold no NUL character, so one anywhere in
     * a body's strings (keys included) is refused here rather than failing in the database.
     */
    public static Optional<String> nulRefusal(String field, Object value) {
        return containsNul(value) ? Optional.of(field + " may not contain the NUL character (\\u0000)") : Optional.empty();
    }

    private static boolean containsNul(Object value) {
        if (value instanceof String s) {
            return s.indexOf('\0') >= 0;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (containsNul(e.getKey()) || containsNul(e.getValue())) {
                    return true;
                }
            }
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (containsNul(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A label someone may set: {@code latest} is derived and never set. */
    public static Optional<String> labelRefusal(String label) {
        if (label == null || label.isEmpty()) {
            return Optional.of("a label can't be empty");
        }
        if (LATEST.equals(label)) {
            return Optional.of("'latest' is derived (the newest version) and can't be set");
        }
        if (label.length() > MAX_LABEL || !LABEL.matcher(label).matches()) {
            return Optional.of("label '" + label + "' must match [a-z0-9_\\-.]+, at most " + MAX_LABEL + " characters");
        }
        if (label.equals(".") || label.equals("..")) {
            return Optional.of("a label can't be '.' or '..': it could not be named in a path");
        }
        return Optional.empty();
    }

    public static Optional<String> labelsRefusal(List<String> labels) {
        for (String label : labels == null ? List.<String>of() : labels) {
            Optional<String> refusal = labelRefusal(label);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    public static Optional<String> tagsRefusal(List<String> tags) {
        for (String tag : tags == null ? List.<String>of() : tags) {
            if (tag == null || tag.isBlank() || tag.length() > MAX_TAG) {
                return Optional.of("tags are non-empty strings of at most " + MAX_TAG + " characters");
            }
        }
        return Optional.empty();
    }

    /**
     * The content of a new version, checked against its type and normalised: a text prompt is a
     * string; a chat prompt a list of messages {@code {"role", "content"}} (Langfuse's SDKs add
     * {@code "type": "chatmessage"}, dropped here) and placeholders {@code {"type": "placeholder", "name"}}.
     */
    public static PromptContent content(String type, Object prompt) {
        if (prompt == null) {
            throw new IllegalArgumentException("prompt is required: a string (text) or a list of messages (chat)");
        }
        if (PromptContent.TEXT.equals(type)) {
            if (!(prompt instanceof String text)) {
                throw new IllegalArgumentException("a text prompt is a string; send type 'chat' for a list of messages");
            }
            return PromptContent.text(text);
        }
        if (!PromptContent.CHAT.equals(type)) {
            throw new IllegalArgumentException("type must be 'text' or 'chat'");
        }
        if (!(prompt instanceof List<?> items)) {
            throw new IllegalArgumentException("a chat prompt is a list of messages {\"role\", \"content\"} and placeholders "
                    + "{\"type\": \"placeholder\", \"name\"}");
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                throw new IllegalArgumentException("prompt[" + i + "] must be an object");
            }
            Object kind = item.get("type");
            Map<String, Object> message = new LinkedHashMap<>();
            if ("placeholder".equals(kind)) {
                if (!(item.get("name") instanceof String name) || name.isBlank()) {
                    throw new IllegalArgumentException("prompt[" + i + "] is a placeholder without a name");
                }
                message.put("type", "placeholder");
                message.put("name", name);
            } else if (kind == null || "chatmessage".equals(kind)) {
                if (!(item.get("role") instanceof String role) || role.isBlank()) {
                    throw new IllegalArgumentException("prompt[" + i + "] needs a role (e.g. system, user, assistant)");
                }
                if (!(item.get("content") instanceof String content)) {
                    throw new IllegalArgumentException("prompt[" + i + "] needs content, a string");
                }
                message.put("role", role);
                message.put("content", content);
            } else {
                throw new IllegalArgumentException("prompt[" + i + "] has type '" + kind + "': a message (chatmessage) or a placeholder");
            }
            messages.add(message);
        }
        return PromptContent.chat(messages);
    }
}
