package io.flywheel.problem;

import java.util.Map;
import java.util.Optional;

/** A service's table from its exception classes to what they answer, looked up by the closest class. */
public final class ExceptionTable {

    private ExceptionTable() {
    }

    /** The entry of the exception's own class, or of its nearest superclass in the table. */
    public static <V> Optional<V> lookup(Map<? extends Class<?>, V> table, Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            V value = table.get(c);
            if (value != null) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
