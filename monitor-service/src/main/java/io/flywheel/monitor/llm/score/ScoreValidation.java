package io.flywheel.monitor.llm.score;

import io.flywheel.events.ScoreUpserted;

import java.util.Optional;

/**
 * Checks a score that names a config ({@code configId}) against it, as Langfuse does on ingestion:
 * the config must exist in the score's project and not be archived, the names must match, and the
 * value must fit the config's type. A NUMERIC score may fill a BOOLEAN or CATEGORICAL config with a
 * number (the SDKs send booleans and categories as numbers too); a CATEGORICAL one names a category
 * by its label, a NUMERIC one by its value. The accepted score carries both, like Langfuse's
 * {@code value} and {@code stringValue}, and the config's data type.
 */
public final class ScoreValidation {

    /** The score to store (normalised), or why it is refused. */
    public record Outcome(ScoreUpserted accepted, String refusal) {
        static Outcome ok(ScoreUpserted s) {
            return new Outcome(s, null);
        }

        static Outcome refused(String why) {
            return new Outcome(null, why);
        }

        public boolean isAccepted() {
            return accepted != null;
        }
    }

    private ScoreValidation() {
    }

    /**
     * @param config the config the score names, empty when the project has none of that id (ignored
     *               when the score names none)
     */
    public static Outcome check(ScoreUpserted s, Optional<ScoreConfig> config) {
        if (s.configId() == null) {
            return Outcome.ok(s);
        }
        if (config.isEmpty()) {
            return Outcome.refused("score config '" + s.configId() + "' does not exist in project '" + s.project() + "'");
        }
        ScoreConfig c = config.get();
        if (c.isArchived()) {
            return Outcome.refused("score config '" + c.id() + "' is archived");
        }
        if (!c.name().equals(s.name())) {
            return Outcome.refused("score name '" + s.name() + "' does not match the name of config '" + c.id() + "' ('" + c.name() + "')");
        }
        boolean sameType = c.dataType().equals(s.dataType());
        boolean numberForCategories = "NUMERIC".equals(s.dataType())
                && ("BOOLEAN".equals(c.dataType()) || "CATEGORICAL".equals(c.dataType()));
        if (!sameType && !numberForCategories) {
            return Outcome.refused("a " + s.dataType() + " score does not fit config '" + c.id() + "' of type " + c.dataType());
        }
        return switch (c.dataType()) {
            case "NUMERIC" -> numeric(s, c);
            case "BOOLEAN", "CATEGORICAL" -> category(s, c);
            default -> Outcome.ok(s);
        };
    }

    private static Outcome numeric(ScoreUpserted s, ScoreConfig c) {
        if (s.value() == null || !Double.isFinite(s.value())) {
            return Outcome.refused("a NUMERIC score needs a finite number, was " + (s.value() == null ? "'" + s.stringValue() + "'" : s.value()));
        }
        double v = s.value();
        if (c.minValue() != null && v < c.minValue() || c.maxValue() != null && v > c.maxValue()) {
            return Outcome.refused("value " + v + " is outside [" + bound(c.minValue()) + ", " + bound(c.maxValue()) + "] of config '"
                    + c.id() + "'");
        }
        return Outcome.ok(s);
    }

    /** A category named by its label (string value) or its number; both are kept. */
    private static Outcome category(ScoreUpserted s, ScoreConfig c) {
        var categories = c.categories().isEmpty() && "BOOLEAN".equals(c.dataType()) ? ScoreConfigRules.BOOLEAN_CATEGORIES : c.categories();
        ScoreConfig.Category match = null;
        boolean byLabel = "CATEGORICAL".equals(s.dataType()) || "BOOLEAN".equals(s.dataType()) && s.value() == null;
        for (ScoreConfig.Category k : categories) {
            if (byLabel ? k.label().equals(s.stringValue()) : s.value() != null && k.value() == s.value()) {
                match = k;
                break;
            }
        }
        if (match == null) {
            String given = byLabel ? "'" + s.stringValue() + "'" : String.valueOf(s.value());
            return Outcome.refused(given + " is not one of the categories of config '" + c.id() + "' "
                    + categories.stream().map(k -> k.label() + "=" + num(k.value())).toList());
        }
        return Outcome.ok(new ScoreUpserted(s.project(), s.id(), s.name(), s.traceId(), s.observationId(), s.sessionId(),
                s.datasetRunId(), match.value(), match.label(), c.dataType(), s.source(), s.comment(), s.metadata(), s.configId(),
                s.environment(), s.timestamp(), s.receivedAt()));
    }

    private static String bound(Double d) {
        return d == null ? "unbounded" : num(d);
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
