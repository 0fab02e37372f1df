package io.flywheel.monitor.llm.merge;

/**
 * A merged column: its name, its SQL type ({@code text}, {@code timestamptz}, {@code jsonb}, {@code text[]}...)
 * and whether it keeps the earliest value sent rather than the latest received (a trace's timestamp:
 * Langfuse's SDKs send a fresh one with every update of the trace).
 */
public record Column(String name, String sqlType, boolean keepsEarliest) {

    public Column(String name, String sqlType) {
        this(name, sqlType, false);
    }
}
