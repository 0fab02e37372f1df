package io.flywheel.linear;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Scalar values as the module holds them: Boolean, Long, Double or String. */
final class Values {

    private Values() {
    }

    /**
     * The canonical form of a scalar label or cell value: Integer, Short and Byte become Long,
     * Float becomes Double, BigInteger and BigDecimal become Long when exact, else Double.
     * Booleans and strings are kept; anything else is rejected.
     */
    static Object canonical(Object value, String what) {
        return switch (value) {
            case null -> null;
            case Boolean b -> b;
            case String s -> s;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case BigInteger bi -> bi.bitLength() < 64 ? (Object) bi.longValue() : (Object) bi.doubleValue();
            case BigDecimal bd -> canonicalDecimal(bd);
            default -> throw new IllegalArgumentException(
                    what + " must be a boolean, a number or a string, got " + describe(value));
        };
    }

    private static Object canonicalDecimal(BigDecimal value) {
        try {
            return value.longValueExact();
        } catch (ArithmeticException notExact) {
            return value.doubleValue();
        }
    }

    /** Whether two scalar values denote the same label: numbers by value, others by equals. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a != null && a.equals(b);
    }

    /** Orders two labels of one column: false &lt; true, numbers by value, strings as String does. */
    static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        throw new IllegalArgumentException("cannot compare " + describe(a) + " with " + describe(b));
    }

    /** A short rendering for messages: the JSON kind and the value, truncated. */
    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "a string (" + quote(s) + ")";
            case Boolean b -> "a boolean (" + b + ")";
            case Number n -> "a number (" + n + ")";
            default -> "a " + value.getClass().getSimpleName();
        };
    }

    /** The value as it would appear in JSON, strings quoted and truncated to 40 characters. */
    static String render(Object value) {
        return value instanceof String s ? quote(s) : String.valueOf(value);
    }

    private static String quote(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return "\"" + cut + "\"";
    }
}
