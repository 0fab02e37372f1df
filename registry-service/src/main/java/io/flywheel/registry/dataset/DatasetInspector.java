package io.flywheel.registry.dataset;

import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.storage.ContentInspector;

/** Parses a dataset while it streams to storage, refusing it at the first bad line. */
public interface DatasetInspector extends ContentInspector {

    /** The rows and schema; valid once {@link #finish()} has accepted the content. */
    DatasetProfile profile();

    /** The inspector for a format name ({@code csv} or {@code jsonl}). */
    static DatasetInspector forFormat(String format, int maxLineBytes, int maxColumns) {
        return switch (format) {
            case "csv" -> new CsvInspector(maxLineBytes, maxColumns);
            case "jsonl" -> new JsonLinesInspector(maxLineBytes, maxColumns);
            default -> throw new InvalidRequestException("unknown dataset format '" + format + "'; use csv or jsonl");
        };
    }
}
