package io.flywheel.monitor.llm.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * How a list is paged: by a cursor (Flywheel's lists: {@code limit} and the {@code next_cursor} of the
 * previous page; keyset paging, stable while rows are added) or by page number (Langfuse's: page from 1,
 * with a total count).
 */
public sealed interface Paging {

    int limit();

    /** Fetch {@code limit + 1} rows after the cursor's position (null: from the start). */
    record Cursor(int limit, Position after) implements Paging {
    }

    /** Page {@code page} (from 1) of {@code limit} rows. */
    record Page(int page, int limit) implements Paging {
        public long offset() {
            return (long) (page - 1) * limit;
        }
    }

    /** A row's place in the order: its time and id. */
    record Position(Instant time, String id) {

        public String encode() {
            long micros = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, time);
            return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        /** The position a cursor stands for; a cursor not made here is an {@link IllegalArgumentException}. */
        public static Position decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int bar = text.indexOf('|');
                long micros = Long.parseLong(text.substring(0, bar));
                return new Position(Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS), text.substring(bar + 1));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cursor is not one this API returned; pass next_cursor from the previous page unchanged");
            }
        }

        public OffsetDateTime offsetTime() {
            return time.atOffset(ZoneOffset.UTC);
        }
    }
}
