package io.flywheel.llm.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Client timestamps: ISO-8601 with {@code Z} or an offset, any number of fraction digits up to nanoseconds. */
public final class Timestamps {

    private Timestamps() {
    }

    /** @throws IllegalArgumentException naming the field when the text is no ISO-8601 time with a zone */
    public static Instant parse(String field, String text) {
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 time with Z or an offset"
                    + " (e.g. 2026-01-31T12:00:00.123Z), was \"" + text + "\"");
        }
    }

    /** Unix nanoseconds as OTLP sends them; 0 means not set. */
    public static Instant fromUnixNanos(long nanos) {
        return nanos == 0 ? null : Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
