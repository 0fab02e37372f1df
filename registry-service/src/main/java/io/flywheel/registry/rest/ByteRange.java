package io.flywheel.registry.rest;

import io.flywheel.registry.RangeNotSatisfiableException;

import java.util.Locale;

/**
 * One byte range of a {@code Range: bytes=...} header (RFC 9110 §14), resolved against the
 * content's size. Headers that can't be honoured simply (other units, several ranges, syntax
 * errors) are ignored, as the RFC allows, and the whole content is sent; a range that starts past
 * the end is a 416.
 */
record ByteRange(long first, long last) {

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** The range to send, or null to send everything. */
    static ByteRange parse(String header, long size) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return null;
        }
        String spec = value.substring("bytes=".length()).strip();
        if (spec.contains(",")) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String start = spec.substring(0, dash).strip();
        String end = spec.substring(dash + 1).strip();
        try {
            if (start.isEmpty()) {
                long suffix = Long.parseLong(end);
                if (suffix < 0) {
                    return null;
                }
                if (suffix == 0 || size == 0) {
                    throw new RangeNotSatisfiableException(value, size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(start);
            long last = end.isEmpty() ? Long.MAX_VALUE : Long.parseLong(end);
            if (first < 0 || last < first) {
                return null;
            }
            if (first >= size) {
                throw new RangeNotSatisfiableException(value, size);
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
