package io.flywheel.deploy.rest;

import io.flywheel.deploy.InvalidRequestException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list and the opaque cursor of the next one ({@code null} on the last page). Cursors
 * encode the last key seen (keyset paging), so pages stay stable while rows are added.
 */
public record Page<T>(List<T> items, String nextCursor) {

    /** {@code rows} holds up to {@code limit + 1} rows: the extra one only says that another page exists. */
    static <R, T> Page<T> of(List<R> rows, int limit, Function<R, String> key, Function<R, T> view) {
        boolean more = rows.size() > limit;
        List<R> shown = more ? rows.subList(0, limit) : rows;
        String next = more ? encode(key.apply(shown.getLast())) : null;
        return new Page<>(shown.stream().map(view).toList(), next);
    }

    static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The numeric key a cursor stands for; a cursor that was not made here is a 400. */
    static Long decodeLong(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("cursor is not one this API returned; pass next_cursor from the previous page unchanged");
        }
    }
}
