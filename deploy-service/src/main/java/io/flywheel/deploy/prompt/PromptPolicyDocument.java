package io.flywheel.deploy.prompt;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * A prompt's rollout policy as the API reads and writes it (snake_case JSON) and as it is stored; absent
 * fields take the defaults ({@code deploy.prompt.*}).
 * <pre>
 * {"share_percent": 20, "min_duration": "PT1H", "max_duration": "PT24H", "min_count": 30, "max_drop": 0.05, "margin": 0.02}
 * </pre>
 */
public record PromptPolicyDocument(Integer sharePercent, String minDuration, String maxDuration, Long minCount, Double maxDrop,
                                   Double margin) {

    /**
     * The policy this document describes, absent fields from {@code defaults}.
     *
     * @throws IllegalArgumentException naming the field to fix
     */
    public PromptPolicy toPolicy(PromptPolicy defaults) {
        return new PromptPolicy(sharePercent == null ? defaults.sharePercent() : sharePercent,
                minDuration == null ? defaults.minDuration() : duration("min_duration", minDuration),
                maxDuration == null ? defaults.maxDuration() : duration("max_duration", maxDuration),
                minCount == null ? defaults.minCount() : minCount,
                maxDrop == null ? defaults.maxDrop() : maxDrop,
                margin == null ? Math.min(defaults.margin(), maxDrop == null ? defaults.maxDrop() : maxDrop) : margin);
    }

    /** This document over another: its own fields win, the other's fill the gaps. */
    public PromptPolicyDocument over(PromptPolicyDocument base) {
        if (base == null) {
            return this;
        }
        return new PromptPolicyDocument(sharePercent != null ? sharePercent : base.sharePercent,
                minDuration != null ? minDuration : base.minDuration, maxDuration != null ? maxDuration : base.maxDuration,
                minCount != null ? minCount : base.minCount, maxDrop != null ? maxDrop : base.maxDrop,
                margin != null ? margin : base.margin);
    }

    /** The document with every field written out. */
    public static PromptPolicyDocument of(PromptPolicy p) {
        return new PromptPolicyDocument(p.sharePercent(), p.minDuration().toString(), p.maxDuration().toString(), p.minCount(),
                p.maxDrop(), p.margin());
    }

    private static Duration duration(String field, String value) {
        try {
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is an ISO-8601 duration such as PT1H, got '" + value + "'");
        }
    }
}
