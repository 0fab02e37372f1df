package io.flywheel.registry.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.flywheel.registry.service.PromptService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Langfuse's prompt shapes (camelCase, nulls written), from its Fern definitions (prompts, prompt-version). */
public final class LangfusePromptViews {

    private LangfusePromptViews() {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Error(String message, String error) {
    }

    /** CreatePromptRequest; the SDKs' extra fields are ignored. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Create(String name, String type, Object prompt, Map<String, Object> config, List<String> labels,
                         List<String> tags, String commitMessage) {
    }

    /** The PATCH body: v3 also sends name and version, ignored. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UpdateLabels(List<String> newLabels) {
    }

    /** The prompt object of GET, POST and PATCH: chat messages carry {@code "type": "chatmessage"}, as Langfuse's do. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Prompt(String id, Instant createdAt, Instant updatedAt, String projectId, String createdBy, String name, int version,
                         String type, Object prompt, Map<String, Object> config, List<String> labels, List<String> tags,
                         String commitMessage, boolean isActive, Object resolutionGraph) {
        static Prompt of(PromptService.Fetched f) {
            var v = f.version();
            Object content = v.content().value();
            if (content instanceof List<?> messages) {
                List<Map<String, Object>> typed = new ArrayList<>();
                for (Object m : messages) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> message = (Map<String, Object>) m;
                    Map<String, Object> out = new LinkedHashMap<>(message);
                    out.putIfAbsent("type", "chatmessage");
                    typed.add(out);
                }
                content = typed;
            }
            return new Prompt(v.project + "/" + v.name + "/" + v.version, v.createdAt, f.prompt().updatedAt, v.project, v.createdBy,
                    v.name, v.version, f.prompt().type, content, v.config, f.labels(), f.prompt().tagList(), v.commitMessage,
                    f.labels().contains("production"), null);
        }
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Meta(String name, String type, List<Integer> versions, List<String> labels, List<String> tags, Instant lastUpdatedAt,
                       Map<String, Object> lastConfig) {
        static Meta of(PromptService.Summary s) {
            return new Meta(s.prompt().name, s.prompt().type, s.versions(), s.labels(), s.prompt().tagList(), s.prompt().updatedAt,
                    s.newest() == null ? Map.of() : s.newest().config);
        }
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PageMeta(int page, int limit, long totalItems, long totalPages) {
        static PageMeta of(int page, int limit, long total) {
            return new PageMeta(page, limit, total, (total + limit - 1) / limit);
        }
    }

    /** The list: {@code pagination} repeats {@code meta}, as Langfuse's own answer does for older clients. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Paged(List<Meta> data, PageMeta meta, PageMeta pagination) {
    }
}
