package io.flywheel.retrain.llm.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flywheel.llm.eval.chat.ChatMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt version as the registry (or an inline experiment) gives it, compiled with one dataset item's
 * input into chat messages, as Langfuse's SDKs compile prompts: {@code {{variable}}} is replaced by the
 * variable's value and left as it is when the input has no such variable. An object input gives its keys
 * as variables (strings as they are, other values as their JSON); any other input is the variable
 * {@code input}. A text prompt is one user message; a chat prompt's placeholders
 * ({@code {"type": "placeholder", "name": "history"}}) take the messages of the variable of that name.
 * Plain Java.
 */
public record PromptTemplate(String type, JsonNode prompt, JsonNode config) {

    public static final String TEXT = "text";
    public static final String CHAT = "chat";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

    /** The parameters of OpenAI's chat completions a prompt's config may set; the rest of the config is the application's own. */
    static final Set<String> CHAT_PARAMETERS = Set.of("temperature", "top_p", "max_tokens", "max_completion_tokens", "stop",
            "presence_penalty", "frequency_penalty", "seed", "response_format", "logit_bias", "n", "reasoning_effort");

    /** Checks the shape; the message says what to fix. */
    public PromptTemplate {
        if (!TEXT.equals(type) && !CHAT.equals(type)) {
            throw new IllegalArgumentException("prompt type must be 'text' or 'chat', was " + (type == null ? "missing" : "'" + type + "'"));
        }
        if (TEXT.equals(type) && (prompt == null || !prompt.isTextual())) {
            throw new IllegalArgumentException("a text prompt's prompt is a string");
        }
        if (CHAT.equals(type)) {
            if (prompt == null || !prompt.isArray() || prompt.isEmpty()) {
                throw new IllegalArgumentException("a chat prompt's prompt is a non-empty list of {role, content} messages or placeholders");
            }
            for (JsonNode m : prompt) {
                boolean placeholder = m.path("type").asText("").equals("placeholder") && m.path("name").isTextual();
                boolean message = m.path("role").isTextual() && m.path("content").isTextual();
                if (!placeholder && !message) {
                    throw new IllegalArgumentException("each message of a chat prompt is {\"role\", \"content\"} or "
                            + "{\"type\": \"placeholder\", \"name\"}, was " + m);
                }
            }
        }
        if (config != null && !config.isNull() && !config.isObject()) {
            throw new IllegalArgumentException("a prompt's config is a JSON object");
        }
    }

    /** The model the config names, if any. */
    public String model() {
        return config != null && config.path("model").isTextual() ? config.get("model").asText() : null;
    }

    /** The config's chat completion parameters (temperature, max_tokens, ...). */
    public Map<String, Object> parameters() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (config != null && config.isObject()) {
            config.properties().forEach(e -> {
                if (CHAT_PARAMETERS.contains(e.getKey())) {
                    out.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
                }
            });
        }
        return out;
    }

    /** The messages for one input; IllegalArgumentException when a placeholder's variable holds no messages. */
    public List<ChatMessage> compile(JsonNode input) {
        Map<String, JsonNode> variables = variables(input);
        if (TEXT.equals(type)) {
            return List.of(ChatMessage.user(fill(prompt.asText(), variables)));
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : prompt) {
            if (m.has("role") && m.path("content").isTextual()) {
                messages.add(new ChatMessage(m.get("role").asText(), fill(m.get("content").asText(), variables)));
                continue;
            }
            String name = m.get("name").asText();
            JsonNode fill = variables.get(name);
            if (fill == null || !fill.isArray()) {
                throw new IllegalArgumentException("the placeholder '" + name + "' needs a list of {role, content} messages under '"
                        + name + "' in the item's input");
            }
            for (JsonNode f : fill) {
                if (!f.path("role").isTextual() || !f.path("content").isTextual()) {
                    throw new IllegalArgumentException("the placeholder '" + name + "' holds a message that is not {role, content}: " + f);
                }
                messages.add(new ChatMessage(f.get("role").asText(), f.get("content").asText()));
            }
        }
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("the prompt compiled to no messages");
        }
        return messages;
    }

    static Map<String, JsonNode> variables(JsonNode input) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (input != null && input.isObject()) {
            input.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        } else if (input != null && !input.isNull() && !input.isMissingNode()) {
            out.put("input", input);
        }
        return out;
    }

    static String fill(String template, Map<String, JsonNode> variables) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = variables.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : text(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A value as a prompt or an evaluator reads it: a string as it is, anything else as its JSON. */
    public static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
