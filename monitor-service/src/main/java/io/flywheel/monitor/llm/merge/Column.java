package io.flywheel.monitor.llm.merge;

/** A merged column: its name and its SQL type ({@code text}, {@code timestamptz}, {@code jsonb}, {@code text[]}...). */
public record Column(String name, String sqlType) {
}
