package io.flywheel.deploy.gate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The facts the gates judge, gathered beforehand (registry, deploy's own records), so the gates
 * themselves are a pure function.
 *
 * @param champion      the version now primary in the target environment, or null if none (or the same version)
 * @param servable      null when the artifact loads in the serving runtime, else why it does not
 * @param soak          the version's record in the soak environment; null when the environment needs no soak
 * @param approval      who approved the promotion, or null while nobody has
 */
public record GateInput(String environment, VersionFacts candidate, VersionFacts champion, String servable,
                        SoakFacts soak, Approval approval, Instant now) {

    /**
     * A version as the registry describes it. {@code headToHead}, when retraining evaluated it
     * against a champion, holds both versions' metrics on the same holdout rows.
     */
    public record VersionFacts(int version, boolean finalised, Map<String, Double> metrics, HeadToHead headToHead) {
        public VersionFacts {
            metrics = metrics == null ? Map.of() : metrics;
        }

        public VersionFacts(int version, boolean finalised, Map<String, Double> metrics) {
            this(version, finalised, metrics, null);
        }
    }

    /** Candidate and champion scored with the same code on the same held-out rows. */
    public record HeadToHead(int championVersion, Map<String, Double> candidate, Map<String, Double> champion) {
        public HeadToHead {
            candidate = candidate == null ? Map.of() : candidate;
            champion = champion == null ? Map.of() : champion;
        }
    }

    /**
     * The version in the soak environment: live since when (null if not live there), predictions
     * served there, and the degradations the monitor reported for it since it went live.
     */
    public record SoakFacts(String environment, Instant liveSince, long samples, List<String> degradations) {
        public SoakFacts {
            degradations = degradations == null ? List.of() : List.copyOf(degradations);
        }
    }

    public record Approval(String by, Instant at, String reason) {
    }
}
