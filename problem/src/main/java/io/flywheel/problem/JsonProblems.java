package io.flywheel.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A body Jackson could not read, told in the client's terms: where the text broke (line and column),
 * which field does not fit and what it must be. Never a Java type name, never a stack trace.
 *
 * <ul>
 *   <li>{@code malformed-json}: not JSON at all (where it broke)</li>
 *   <li>{@code json-limit-exceeded}: nested too deeply, a number or string too long</li>
 *   <li>{@code invalid-json}: JSON, but a field has the wrong type, is unknown, or is out of range</li>
 * </ul>
 */
public final class JsonProblems {

    private JsonProblems() {
    }

    /** The problem for the first Jackson failure among a failure's causes, if there is one. */
    public static Optional<Problem> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return Optional.of(describe(json));
            }
        }
        return Optional.empty();
    }

    static Problem describe(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException limit) {
            return Problem.of(400, "json-limit-exceeded", "the body goes past a limit of JSON this service reads: "
                    + withoutHint(limit.getOriginalMessage()) + where(limit.getLocation()));
        }
        if (e instanceof InputCoercionException range) {
            return Problem.of(400, "invalid-json", "a number in the body is out of range: "
                    + withoutHint(range.getOriginalMessage()) + where(range.getLocation()));
        }
        if (e instanceof JsonMappingException mapping) {
            if (mapping.getCause() instanceof JsonProcessingException inner && !(inner instanceof JsonMappingException)) {
                Problem innerProblem = describe(inner);
                String field = field(mapping);
                return field.isEmpty() ? innerProblem
                        : Problem.of(innerProblem.status(), innerProblem.type(), "'" + field + "': " + innerProblem.detail());
            }
            return Problem.of(400, "invalid-json", "the body does not fit: " + explain(mapping));
        }
        return Problem.of(400, "malformed-json", "the body is not valid JSON: " + withoutHint(e.getOriginalMessage())
                + where(e.getLocation()));
    }

    /** JSON of the wrong shape: names the field and what it must be. */
    static String explain(JsonMappingException e) {
        String field = field(e);
        String where = field.isEmpty() ? "the body" : "'" + field + "'";
        if (e instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return "unknown field " + where + (known == null || known.isEmpty() ? ""
                    : "; known fields here: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        if (e instanceof ValueInstantiationException || e.getCause() instanceof IllegalArgumentException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = cause.getMessage();
            return where + ": " + (message == null || message.contains("\n") ? "not a valid value" : message);
        }
        if (e instanceof InvalidFormatException format) {
            return where + " can't be " + quote(format.getValue()) + "; it must be " + jsonType(format.getTargetType());
        }
        if (e instanceof InvalidDefinitionException) {
            return where + " has a shape this service can't read";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return where + " must be " + jsonType(mismatch.getTargetType());
        }
        return where + " is not what was expected";
    }

    private static String field(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Jackson's messages end with advice for Java developers (a config class, a source excerpt): drop it. */
    private static String withoutHint(String message) {
        if (message == null) {
            return "unreadable";
        }
        String first = message.lines().findFirst().orElse(message);
        int hint = first.indexOf(" (from `StreamReadConstraints");
        if (hint < 0) {
            hint = first.indexOf(", from `StreamReadConstraints");
        }
        String cut = hint >= 0 ? first.substring(0, hint) + ")" : first;
        return cut.length() > 300 ? cut.substring(0, 300) + "..." : cut;
    }

    private static String quote(Object value) {
        String text = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    private static String jsonType(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == java.time.Duration.class) {
            return "an ISO-8601 duration such as \"PT6H\" or \"P1D\"";
        }
        if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class) {
            return "an ISO-8601 instant such as \"2026-01-31T12:00:00Z\"";
        }
        if (type.isEnum()) {
            return "one of the values the OpenAPI document (/openapi) lists for it";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
