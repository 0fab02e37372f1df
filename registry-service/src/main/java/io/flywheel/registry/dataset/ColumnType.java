package io.flywheel.registry.dataset;

/**
 * What the values of one column have been so far. Types only widen as rows arrive: integers and
 * numbers make numbers, any other mix makes strings; a column with no value at all is a string.
 */
enum ColumnType {
    NONE, BOOLEAN, INTEGER, NUMBER, STRING;

    ColumnType widen(ColumnType seen) {
        if (this == NONE || this == seen) {
            return seen;
        }
        if (seen == NONE) {
            return this;
        }
        if ((this == INTEGER && seen == NUMBER) || (this == NUMBER && seen == INTEGER)) {
            return NUMBER;
        }
        return STRING;
    }

    /** The name the API and the schema use. */
    String schemaName() {
        return switch (this) {
            case NONE, STRING -> "string";
            case BOOLEAN -> "boolean";
            case INTEGER -> "integer";
            case NUMBER -> "number";
        };
    }

    /** The type of one CSV value (ASCII only matters: anything else is a string); empty is NONE. */
    static ColumnType ofText(byte[] text, int length) {
        if (length == 0) {
            return NONE;
        }
        if (isWord(text, length, "true") || isWord(text, length, "false")) {
            return BOOLEAN;
        }
        int i = 0;
        if (text[0] == '+' || text[0] == '-') {
            i++;
        }
        int digits = 0;
        while (i < length && isDigit(text[i])) {
            i++;
            digits++;
        }
        if (i == length) {
            return digits > 0 ? INTEGER : STRING;
        }
        if (text[i] == '.') {
            i++;
            while (i < length && isDigit(text[i])) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return STRING;
        }
        if (i < length && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            if (i < length && (text[i] == '+' || text[i] == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < length && isDigit(text[i])) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return STRING;
            }
        }
        return i == length ? NUMBER : STRING;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isWord(byte[] text, int length, String word) {
        if (length != word.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (Character.toLowerCase((char) text[i]) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
