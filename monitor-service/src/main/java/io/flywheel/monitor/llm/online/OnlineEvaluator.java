package io.flywheel.monitor.llm.online;

import io.flywheel.llm.eval.EvaluatorSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A rule of online evaluation: in {@code project}, a {@code sampleRate} share of the generations that
 * match its filters (observation name, prompt name; null matches any) is scored by {@code evaluator}
 * whenever their output arrives. Plain logic.
 *
 * <p>Sampling is decided by a hash of the rule's and the observation's ids, not by chance: a
 * redelivered event, a replica that takes the partition over, or the same generation updated twice all
 * reach the same decision, so an observation is either scored by a rule or never.
 */
public record OnlineEvaluator(String project, String name, EvaluatorSpec evaluator, double sampleRate, String observationName,
                              String promptName) {

    public static final int MAX_NAME = 100;

    public OnlineEvaluator {
        Objects.requireNonNull(evaluator, "evaluator");
    }

    /** What is wrong with this rule, for a 400/422 that says what to fix; empty when it can be used. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            problems.add("name is required, at most " + MAX_NAME + " characters");
        }
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            problems.add("sample_rate is the share of matching generations scored, above 0 and at most 1, not " + sampleRate);
        }
        return problems;
    }

    /**
     * Whether this rule samples the observation: decided on its id alone, before anything is read, so
     * only the sampled share of a busy project costs a read.
     */
    public boolean samples(String observationId) {
        return sampled(name + "\n" + observationId, sampleRate);
    }

    /** Whether the stored observation is one this rule scores: a generation with output, of the named observation and prompt. */
    public boolean matches(String type, String observation, String prompt, boolean hasOutput) {
        return hasOutput && "GENERATION".equals(type)
                && (observationName == null || observationName.equals(observation))
                && (promptName == null || promptName.equals(prompt));
    }

    /** The score's id: one per rule and observation, so scoring again replaces the score instead of adding one. */
    public String scoreId(String observationId) {
        return "online-" + Long.toHexString(fnv1a(project + "\n" + name + "\n" + observationId));
    }

    /** A stable decision for {@code key}: true for a {@code rate} share of all keys. */
    static boolean sampled(String key, double rate) {
        if (rate >= 1) {
            return true;
        }
        // the top 53 bits of the hash as a fraction in [0, 1)
        double u = (fnv1a(key) >>> 11) * 0x1.0p-53;
        return u < rate;
    }

    /** 64-bit FNV-1a with a final mix (its low bits alone spread poorly over similar keys). */
    static long fnv1a(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
