package io.flywheel.llm.eval;

import java.util.Objects;

/**
 * One evaluator's verdict on one case, shaped as a score: a name, a type, the numeric value (1/0 for
 * BOOLEAN), the category for CATEGORICAL (else null), and a comment saying why.
 */
public record EvalScore(String name, ScoreType type, double value, String category, String comment) {

    public EvalScore {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static EvalScore bool(String name, boolean passed, String comment) {
        return new EvalScore(name, ScoreType.BOOLEAN, passed ? 1 : 0, null, comment);
    }

    public static EvalScore numeric(String name, double value, String comment) {
        return new EvalScore(name, ScoreType.NUMERIC, value, null, comment);
    }
}
