package io.flywheel.llm.ingest.otlp;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.llm.ingest.Environments;
import io.flywheel.llm.ingest.JsonValues;
import io.flywheel.llm.ingest.Timestamps;
import io.flywheel.llm.ingest.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One span → one observation and what it says about its trace, after Langfuse's
 * OtelIngestionProcessor and ObservationTypeMapper (a subset: the {@code langfuse.*} attributes of
 * Langfuse's SDKs, OpenTelemetry's {@code gen_ai.*} conventions, and OpenInference's span kind,
 * token counts and {@code input.value}/{@code output.value}). Span events are not observations of
 * their own: {@code gen_ai.*} events are read as the span's input and output, others are left out.
 */
final class SpanMapping {
    static final String LANGFUSE_SCOPE = "langfuse-sdk";

    private static final String[] MODEL_KEYS = {"langfuse.observation.model.name", "gen_ai.response.model", "ai.model.id",
            "gen_ai.request.model", "llm.response.model", "llm.model_name", "model"};
    private static final String[] USER_KEYS = {"langfuse.user.id", "user.id", "langfuse.trace.metadata.langfuse_user_id",
            "ai.telemetry.metadata.userId"};
    private static final String[] SESSION_KEYS = {"langfuse.session.id", "session.id", "gen_ai.conversation.id",
            "langfuse.trace.metadata.langfuse_session_id", "ai.telemetry.metadata.sessionId"};
    private static final String[] ENVIRONMENT_KEYS = {"langfuse.environment", "deployment.environment.name", "deployment.environment"};
    private static final Set<String> INPUT_EVENTS = Set.of("gen_ai.system.message", "gen_ai.user.message",
            "gen_ai.assistant.message", "gen_ai.tool.message");

    private SpanMapping() {
    }

    /** What one span says about its trace: a root says everything, another span only what it carries. */
    record TracePart(String traceId, boolean root, Instant timestamp, String name, String userId, String sessionId,
            String release, String version, String environment, List<String> tags, Boolean isPublic, Object input,
            Object output, Map<String, Object> metadata) {
    }

    record Result(ObservationUpserted observation, TracePart trace) {
    }

    /** @throws Span.BadSpan when the span's ids or times are unusable */
    static Result map(String project, Span span, Instant receivedAt) {
        String traceId = requireHex("traceId", span.traceId(), 32);
        String spanId = requireHex("spanId", span.spanId(), 16);
        String parentId = span.parentSpanId() == null ? null : requireHex("parentSpanId", span.parentSpanId(), 16);
        if (span.startNanos() == 0) {
            throw new Span.BadSpan("span " + spanId + ": startTimeUnixNano is required");
        }
        SpanAttributes a = new SpanAttributes(span.attributes(), span.resource());
        String type = observationType(a);
        String environment = Environments.normalise(a.textOrResource(ENVIRONMENT_KEYS));
        Object[] io = inputOutput(a, span.events());

        String level = a.text("langfuse.observation.level");
        level = level == null ? null : level.toUpperCase(Locale.ROOT);
        if (level == null || !ObservationUpserted.LEVELS.contains(level)) {
            level = span.statusCode() == Span.STATUS_ERROR ? "ERROR" : "DEFAULT";
        }
        String statusMessage = a.text("langfuse.observation.status_message");
        if (statusMessage == null && span.statusMessage() != null && !span.statusMessage().isEmpty()) {
            statusMessage = span.statusMessage();
        }
        String version = a.text("langfuse.version");
        if (version == null) {
            version = a.resourceText("service.version");
        }
        String name = span.name() == null || span.name().isEmpty() ? a.text("gen_ai.tool.name") : span.name();

        String promptName = null;
        Integer promptVersion = null;
        if (type.equals("GENERATION")) {
            promptName = a.text("langfuse.observation.prompt.name", "langfuse.prompt.name");
            promptVersion = integer(a.text("langfuse.observation.prompt.version", "langfuse.prompt.version"));
            if (promptName == null || promptVersion == null) {
                promptName = null;
                promptVersion = null;
            }
        }
        ObservationUpserted observation;
        try {
            observation = new ObservationUpserted(project, spanId, traceId, type, parentId, name,
                    Timestamps.fromUnixNanos(span.startNanos()), Timestamps.fromUnixNanos(span.endNanos()),
                    completionStartTime(a), a.text(MODEL_KEYS), modelParameters(a), io[0], io[1], metadata(span, a),
                    level, statusMessage, version, environment, usageDetails(a), costDetails(a), promptName, promptVersion,
                    receivedAt);
        } catch (IllegalArgumentException e) {
            throw new Span.BadSpan("span " + spanId + ": " + e.getMessage());
        }
        return new Result(observation, tracePart(traceId, parentId, span, a, environment, version, observation));
    }

    private static TracePart tracePart(String traceId, String parentId, Span span, SpanAttributes a, String environment,
            String observationVersion, ObservationUpserted observation) {
        boolean root = parentId == null || "true".equalsIgnoreCase(a.text("langfuse.internal.as_root"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (a.json("langfuse.trace.metadata") instanceof Map<?, ?> map) {
            map.forEach((key, value) -> metadata.put(String.valueOf(key), value));
        }
        metadata.putAll(a.flattenedMetadata("langfuse.trace.metadata"));
        Object input = a.json("langfuse.trace.input");
        Object output = a.json("langfuse.trace.output");
        String name = a.text("langfuse.trace.name");
        String release = a.textOrResource("langfuse.release");
        String version = null;
        if (root) {
            // the root span is the trace: its name, input and output unless the trace's own attributes say otherwise
            name = name != null ? name : span.name();
            input = input != null ? input : observation.input();
            output = output != null ? output : observation.output();
            version = observationVersion;
            if (!span.resource().isEmpty()) {
                metadata.put("resourceAttributes", span.resource());
            }
            metadata.put("scope", scope(span));
        }
        return new TracePart(traceId, root, Timestamps.fromUnixNanos(span.startNanos()), name, a.text(USER_KEYS),
                a.text(SESSION_KEYS), release, version, environment, a.tags("langfuse.trace.tags", "langfuse.tags"),
                a.bool("langfuse.trace.public", "langfuse.public"), input, output, metadata.isEmpty() ? null : metadata);
    }

    /** ObservationTypeMapper's order: Langfuse's own attribute, OpenInference's kind, gen_ai operation, tool, model. */
    static String observationType(SpanAttributes a) {
        String langfuse = a.text("langfuse.observation.type");
        if (langfuse != null && ObservationUpserted.TYPES.contains(langfuse.toUpperCase(Locale.ROOT))) {
            return langfuse.toUpperCase(Locale.ROOT);
        }
        String kind = a.text("openinference.span.kind");
        if (kind != null) {
            String upper = kind.toUpperCase(Locale.ROOT);
            if (upper.equals("LLM")) {
                return "GENERATION";
            }
            if (ObservationUpserted.TYPES.contains(upper)) {
                return upper;
            }
        }
        String operation = a.text("gen_ai.operation.name");
        if (operation != null) {
            switch (operation.toLowerCase(Locale.ROOT)) {
                case "chat", "completion", "text_completion", "generate_content", "generate" -> {
                    return "GENERATION";
                }
                case "embeddings" -> {
                    return "EMBEDDING";
                }
                case "invoke_agent", "create_agent" -> {
                    return "AGENT";
                }
                case "execute_tool" -> {
                    return "TOOL";
                }
                default -> {
                }
            }
        }
        if (a.has("gen_ai.tool.name") || a.has("gen_ai.tool.call.id")) {
            return "TOOL";
        }
        return a.text(MODEL_KEYS) != null ? "GENERATION" : "SPAN";
    }

    /** Input and output, first source present: Langfuse's, gen_ai messages, tool call, gen_ai events, OpenInference. */
    private static Object[] inputOutput(SpanAttributes a, List<Span.SpanEvent> events) {
        Object input = a.json("langfuse.observation.input");
        Object output = a.json("langfuse.observation.output");
        if (input == null && a.has("gen_ai.input.messages")) {
            input = a.json("gen_ai.input.messages");
            Object instructions = a.json("gen_ai.system_instructions");
            if (instructions != null) {
                List<Object> messages = new ArrayList<>();
                messages.add(Map.of("role", "system", "parts", instructions));
                if (input instanceof List<?> list) {
                    messages.addAll(list);
                } else {
                    messages.add(input);
                }
                input = messages;
            }
        }
        output = output != null ? output : a.json("gen_ai.output.messages");
        input = input != null ? input : a.json("gen_ai.tool.call.arguments");
        output = output != null ? output : a.json("gen_ai.tool.call.result");
        input = input != null ? input : a.json("gen_ai.prompt");
        output = output != null ? output : a.json("gen_ai.completion");
        if (input == null || output == null) {
            Object[] fromEvents = eventsInputOutput(events);
            input = input != null ? input : fromEvents[0];
            output = output != null ? output : fromEvents[1];
        }
        input = input != null ? input : a.json("input.value");
        output = output != null ? output : a.json("output.value");
        return new Object[] {input, output};
    }

    /** The older gen_ai span events: gen_ai.content.prompt/completion, or one event per message and per choice. */
    private static Object[] eventsInputOutput(List<Span.SpanEvent> events) {
        Object input = null;
        Object output = null;
        List<Object> messages = new ArrayList<>();
        List<Object> choices = new ArrayList<>();
        for (Span.SpanEvent event : events) {
            String name = event.name() == null ? "" : event.name();
            SpanAttributes attributes = new SpanAttributes(event.attributes(), Map.of());
            if (name.equals("gen_ai.content.prompt")) {
                input = attributes.json("gen_ai.prompt");
            } else if (name.equals("gen_ai.content.completion")) {
                output = attributes.json("gen_ai.completion");
            } else if (INPUT_EVENTS.contains(name)) {
                messages.add(eventMessage(name, attributes));
            } else if (name.equals("gen_ai.choice")) {
                choices.add(eventMessage(name, attributes));
            }
        }
        return new Object[] {input != null ? input : messages.isEmpty() ? null : messages,
                output != null ? output : choices.isEmpty() ? null : choices};
    }

    private static Map<String, Object> eventMessage(String name, SpanAttributes attributes) {
        Map<String, Object> message = new LinkedHashMap<>();
        if (!name.equals("gen_ai.choice")) {
            message.put("role", name.substring("gen_ai.".length(), name.length() - ".message".length()));
        }
        attributes.all().forEach((key, value) -> {
            if (!key.equals("gen_ai.system")) {
                message.put(key, value instanceof String text ? JsonValues.parseLenient(text) : value);
            }
        });
        return message;
    }

    /** Langfuse's JSON model parameters (values other than strings and numbers as JSON text), else {@code gen_ai.request.*}. */
    private static Map<String, Object> modelParameters(SpanAttributes a) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (a.json("langfuse.observation.model.parameters") instanceof Map<?, ?> map) {
            map.forEach((key, value) -> parameters.put(String.valueOf(key),
                    value == null || value instanceof String || value instanceof Number ? value : toJson(value)));
        } else {
            a.under("gen_ai.request.").forEach((key, value) -> {
                if (!key.equals("model")) {
                    parameters.put(key, value);
                }
            });
        }
        return parameters.isEmpty() ? null : parameters;
    }

    private static Map<String, Long> usageDetails(SpanAttributes a) {
        Object langfuse = a.json("langfuse.observation.usage_details");
        if (langfuse != null) {
            return Usage.details(langfuse);
        }
        Map<String, Object> counts = new LinkedHashMap<>(a.under("gen_ai.usage."));
        counts.remove("cost");
        counts.putAll(a.under("llm.token_count."));
        return Usage.fromSemanticConventions(counts);
    }

    private static Map<String, Double> costDetails(SpanAttributes a) {
        Object langfuse = a.json("langfuse.observation.cost_details");
        if (langfuse != null) {
            return Usage.costs(langfuse);
        }
        for (String key : new String[] {"gen_ai.usage.cost", "llm.cost.total"}) {
            if (a.has(key)) {
                return Usage.costs(Map.of("total", a.get(key)));
            }
        }
        return null;
    }

    /** Langfuse's JS SDK sends it JSON-encoded, so a string inside quotes; an unreadable time is left out. */
    private static Instant completionStartTime(SpanAttributes a) {
        if (a.json("langfuse.observation.completion_start_time") instanceof String text) {
            try {
                return Timestamps.parse("completion_start_time", text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Langfuse's observation metadata: its JSON and flattened {@code langfuse.observation.metadata.*},
     * the other attributes of spans from other instrumentations (whose gen_ai.* and other keys would be
     * lost otherwise), the resource's attributes and the instrumentation scope.
     */
    private static Map<String, Object> metadata(Span span, SpanAttributes a) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (a.json("langfuse.observation.metadata") instanceof Map<?, ?> map) {
            map.forEach((key, value) -> metadata.put(String.valueOf(key), value));
        }
        metadata.putAll(a.flattenedMetadata("langfuse.observation.metadata"));
        if (!LANGFUSE_SCOPE.equals(span.scopeName())) {
            Map<String, Object> others = new LinkedHashMap<>();
            a.all().forEach((key, value) -> {
                if (!key.startsWith("langfuse.")) {
                    others.put(key, value);
                }
            });
            if (!others.isEmpty()) {
                metadata.put("attributes", others);
            }
        }
        if (!span.resource().isEmpty()) {
            metadata.put("resourceAttributes", span.resource());
        }
        metadata.put("scope", scope(span));
        return metadata;
    }

    private static Map<String, Object> scope(Span span) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("name", span.scopeName());
        scope.put("version", span.scopeVersion());
        return scope;
    }

    private static String requireHex(String field, String id, int length) {
        if (id == null || id.length() != length || !isHex(id) || id.chars().allMatch(c -> c == '0')) {
            throw new Span.BadSpan(field + " must be " + length + " hex characters (" + length / 2
                    + " bytes, not all zero), was " + (id == null ? "missing" : "\"" + abbreviate(id) + "\""));
        }
        return id;
    }

    private static boolean isHex(String id) {
        return id.chars().allMatch(HexFormat::isHexDigit);
    }

    private static String abbreviate(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "...";
    }

    private static Integer integer(String text) {
        if (text == null) {
            return null;
        }
        try {
            return (int) Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String toJson(Object value) {
        try {
            return JsonValues.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
