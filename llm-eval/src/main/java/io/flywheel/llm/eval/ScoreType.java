package io.flywheel.llm.eval;

/** The data types of a score, as Langfuse names them. */
public enum ScoreType {
    NUMERIC, BOOLEAN, CATEGORICAL
}
