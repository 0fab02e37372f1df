package io.flywheel.monitor.llm.merge;

import java.util.Arrays;

/**
 * The merged fields of one trace or observation: a value per column and the time (µs since the epoch)
 * the message that sent it was received, 0 and {@code null} where no message sent the field.
 *
 * <p>The merge rule, which {@link UpsertSql} repeats in SQL against the stored row: a field takes the
 * other side's value when the other side sent it and received it no earlier; a field the other side
 * did not send keeps its value. So messages merge in any order to the same row (each field holds the
 * value of the latest message that sent it), and merging a message again changes nothing.
 */
public record Fields(Object[] values, long[] times) {

    public Fields {
        if (values.length != times.length) {
            throw new IllegalArgumentException("one time per value");
        }
    }

    /** One message's fields: every non-null value received at {@code receivedMicros}. */
    public static Fields sent(long receivedMicros, Object... values) {
        long[] times = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            times[i] = values[i] == null ? 0 : receivedMicros;
        }
        return new Fields(values.clone(), times);
    }

    /** This row with {@code other}'s fields merged in (neither is changed). */
    public Fields merge(Fields other) {
        if (other.values.length != values.length) {
            throw new IllegalArgumentException("rows of different layouts");
        }
        Object[] v = values.clone();
        long[] t = times.clone();
        for (int i = 0; i < v.length; i++) {
            if (takes(t[i], other.times[i])) {
                v[i] = other.values[i];
                t[i] = other.times[i];
            }
        }
        return new Fields(v, t);
    }

    /** Whether a field stored at {@code storedMicros} takes a value sent at {@code sentMicros} (0: not sent). */
    public static boolean takes(long storedMicros, long sentMicros) {
        return sentMicros != 0 && sentMicros >= storedMicros;
    }

    public Object value(int column) {
        return values[column];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fields f && Arrays.equals(values, f.values) && Arrays.equals(times, f.times);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + Arrays.hashCode(times);
    }

    @Override
    public String toString() {
        return "Fields" + Arrays.toString(values) + "@" + Arrays.toString(times);
    }
}
