package io.flywheel.registry.prompt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a prompt as Langfuse's SDKs do: each {@code {{variable}}} (spaces inside the braces
 * allowed) becomes the variable's value, unescaped; a variable not given stays as written and is
 * reported as missing. A chat prompt's placeholders are replaced by the messages given for them
 * (a placeholder not given stays, and is reported too). Plain Java.
 */
public final class PromptTemplate {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");

    /** The compiled prompt (a string or a list of messages) and what was left unfilled. */
    public record Compiled(Object prompt, List<String> missingVariables, List<String> missingPlaceholders) {
    }

    private PromptTemplate() {
    }

    public static Compiled compile(PromptContent content, Map<String, ?> variables, Map<String, List<Map<String, Object>>> placeholders) {
        Map<String, ?> values = variables == null ? Map.of() : variables;
        Map<String, List<Map<String, Object>>> fills = placeholders == null ? Map.of() : placeholders;
        Set<String> missing = new LinkedHashSet<>();
        if (PromptContent.TEXT.equals(content.type())) {
            return new Compiled(fill(content.text(), values, missing), List.copyOf(missing), List.of());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> missingPlaceholders = new LinkedHashSet<>();
        for (Map<String, Object> message : content.messages()) {
            if ("placeholder".equals(message.get("type"))) {
                String name = (String) message.get("name");
                List<Map<String, Object>> given = fills.get(name);
                if (given == null) {
                    missingPlaceholders.add(name);
                    out.add(message);
                } else {
                    out.addAll(given);
                }
                continue;
            }
            Map<String, Object> compiled = new LinkedHashMap<>(message);
            compiled.put("content", fill((String) message.get("content"), values, missing));
            out.add(compiled);
        }
        return new Compiled(out, List.copyOf(missing), List.copyOf(missingPlaceholders));
    }

    /** The variables a template names, in order of first use. */
    public static List<String> variables(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }

    private static String fill(String template, Map<String, ?> values, Set<String> missing) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (values.containsKey(name) && values.get(name) != null) {
                m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(values.get(name))));
            } else {
                missing.add(name);
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
            }
        }
        m.appendTail(out);
        return out.toString();
    }
}
