package io.flywheel.registry;

/**
 * One column of a dataset version as inferred from every row: its name, its type (integer, number,
 * string or boolean) and whether any row leaves it empty.
 */
public record ColumnSchema(String name, String type, boolean nullable) {
}
