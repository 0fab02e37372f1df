package io.flywheel.retrain.rest;

import io.flywheel.retrain.InvalidRequestException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque page cursors: the last key seen, base64url. */
final class Cursors {

    private Cursors() {
    }

    static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key, or null for the first page; a cursor not made here is a 400. */
    static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    static InvalidRequestException invalid() {
        return new InvalidRequestException("cursor is not one this API returned; pass next_cursor from the previous page unchanged");
    }
}
