package io.flywheel.monitor.llm.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Query values read by hand, so a bad one is the API's own 400 (problem or Langfuse shape), never a 404 or 500. */
final class Params {

    private final Function<String, RuntimeException> bad;

    Params(Function<String, RuntimeException> bad) {
        this.bad = bad;
    }

    RuntimeException bad(String message) {
        return bad.apply(message);
    }

    Instant instant(String name, String value) {
        if (blank(value)) {
            return null;
        }
        Instant t = parseInstant(name, value);
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw bad.apply(name + " must be between years 1 and 9999, was '" + value + "'");
        }
        return t;
    }

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private Instant parseInstant(String name, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw bad.apply(name + " must be an ISO-8601 time (2026-01-31T12:00:00Z), was '" + value + "'");
            }
        }
    }

    Double number(String name, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            double d = Double.parseDouble(value.strip());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad.apply(name + " must be a number, was '" + value + "'");
        }
    }

    int integer(String name, String value, int fallback, int min, int max) {
        if (blank(value)) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw bad.apply(name + " must be an integer in [" + min + ", " + max + "], was '" + value + "'");
        }
        if (n < min || n > max) {
            throw bad.apply(name + " must be an integer in [" + min + ", " + max + "], was " + n);
        }
        return n;
    }

    /** Repeated values, each of which may also be comma-separated; null when none. */
    static List<String> list(List<String> values) {
        if (values == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v == null) {
                continue;
            }
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    static String text(String value) {
        return blank(value) ? null : value;
    }

    void range(String fromName, Instant from, String toName, Instant to) {
        if (from != null && to != null && to.isBefore(from)) {
            throw bad.apply("'" + toName + "' (" + to + ") is before '" + fromName + "' (" + from + ")");
        }
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
