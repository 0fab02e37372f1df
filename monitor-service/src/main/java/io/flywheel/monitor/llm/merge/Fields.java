package io.flywheel.monitor.llm.merge;

import java.util.Arrays;
import java.util.List;

/**
 * The merged fields of one trace or observation: a value per column and the time (µs since the epoch)
 * the message that sent it was received, 0 and {@code null} where no message sent the field.
 *
 * <p>The merge rule, which {@link UpsertSql} repeats in SQL against the stored row: a field takes the
 * other side's value when the other side sent it and received it no earlier; a field the other side
 * did not send keeps its value. So messages merge in any order to the same row (each field holds the
 * value of the latest message that sent it), and merging a message again changes nothing. A column that
 * {@linkplain Column#keepsEarliest() keeps the earliest} takes the smallest value any message sent instead.
 * A field's time is always the latest time it was sent.
 */
public record Fields(Object[] values, long[] times, boolean[] keepsEarliest) {

    public Fields {
        if (values.length != times.length || values.length != keepsEarliest.length) {
            throw new IllegalArgumentException("one time and one rule per value");
        }
    }

    /** One message's fields in the order of {@code layout}: every non-null value received at {@code receivedMicros}. */
    public static Fields sent(List<Column> layout, long receivedMicros, Object... values) {
        if (layout.size() != values.length) {
            throw new IllegalArgumentException("one value per column of the layout");
        }
        long[] times = new long[values.length];
        boolean[] earliest = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            times[i] = values[i] == null ? 0 : receivedMicros;
            earliest[i] = layout.get(i).keepsEarliest();
        }
        return new Fields(values.clone(), times, earliest);
    }

    /** This row with {@code other}'s fields merged in (neither is changed). */
    public Fields merge(Fields other) {
        if (!Arrays.equals(keepsEarliest, other.keepsEarliest)) {
            throw new IllegalArgumentException("rows of different layouts");
        }
        Object[] v = values.clone();
        long[] t = times.clone();
        for (int i = 0; i < v.length; i++) {
            if (keepsEarliest[i] ? earlier(other.values[i], v[i]) : takes(t[i], other.times[i])) {
                v[i] = other.values[i];
            }
            t[i] = Math.max(t[i], other.times[i]);
        }
        return new Fields(v, t, keepsEarliest);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean earlier(Object sent, Object stored) {
        return sent != null && (stored == null || ((Comparable) sent).compareTo(stored) < 0);
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
        return o instanceof Fields f && Arrays.equals(values, f.values) && Arrays.equals(times, f.times)
                && Arrays.equals(keepsEarliest, f.keepsEarliest);
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
