package io.flywheel.monitor.llm.merge;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The merged fields of one trace or observation: a value per column and the time (µs since the epoch)
 * the message that sent it was received, 0 and {@code null} where no message sent the field.
 *
 * <p>The merge rule, which {@link UpsertSql} repeats in SQL against the stored row, is the column's
 * {@link Column.Rule}: a field the other side did not send keeps its value; otherwise a {@code LATEST}
 * field takes the other side's value when it was received no earlier, an {@code EARLIEST} one the smaller
 * value, a {@code UNION} one (a list) the sorted elements of both, a {@code MERGE} one (an object) the keys
 * of both, the later received winning a key both have. So messages merge in any order to the same row,
 * and merging a message again changes nothing (a {@code MERGE} field's keys excepted: one sent by three
 * messages out of order can keep a middle one's value, since times are kept per field, not per key).
 * A field's time is always the latest time it was sent.
 */
public record Fields(Object[] values, long[] times, Column.Rule[] rules) {

    public Fields {
        if (values.length != times.length || values.length != rules.length) {
            throw new IllegalArgumentException("one time and one rule per value");
        }
    }

    /** One message's fields in the order of {@code layout}: every non-null value received at {@code receivedMicros}. */
    public static Fields sent(List<Column> layout, long receivedMicros, Object... values) {
        if (layout.size() != values.length) {
            throw new IllegalArgumentException("one value per column of the layout");
        }
        Object[] v = values.clone();
        long[] times = new long[values.length];
        Column.Rule[] rules = new Column.Rule[values.length];
        for (int i = 0; i < values.length; i++) {
            times[i] = values[i] == null ? 0 : receivedMicros;
            rules[i] = layout.get(i).rule();
            if (rules[i] == Column.Rule.UNION && v[i] instanceof Collection<?> list) {
                v[i] = sorted(list, List.of());
            }
        }
        return new Fields(v, times, rules);
    }

    /** This row with {@code other}'s fields merged in (neither is changed). */
    public Fields merge(Fields other) {
        if (!Arrays.equals(rules, other.rules)) {
            throw new IllegalArgumentException("rows of different layouts");
        }
        Object[] v = values.clone();
        long[] t = times.clone();
        for (int i = 0; i < v.length; i++) {
            Object sent = other.values[i];
            if (other.times[i] != 0) {
                boolean later = takes(t[i], other.times[i]);
                v[i] = switch (rules[i]) {
                    case LATEST -> later ? sent : v[i];
                    case EARLIEST -> earlier(sent, v[i]) ? sent : v[i];
                    case UNION -> v[i] instanceof Collection<?> held && sent instanceof Collection<?> more ? sorted(held, more)
                            : later ? sent : v[i];
                    case MERGE -> v[i] instanceof Map<?, ?> held && sent instanceof Map<?, ?> more
                            ? (later ? union(held, more) : union(more, held)) : later ? sent : v[i];
                };
            }
            t[i] = Math.max(t[i], other.times[i]);
        }
        return new Fields(v, t, rules);
    }

    /** The distinct elements of both, sorted (as PostgreSQL sorts text, for the strings tags are). */
    private static List<Object> sorted(Collection<?> a, Collection<?> b) {
        TreeSet<Object> all = new TreeSet<>();
        for (Object o : a) {
            if (o != null) {
                all.add(o);
            }
        }
        for (Object o : b) {
            if (o != null) {
                all.add(o);
            }
        }
        return List.copyOf(all);
    }

    /** The keys of both, {@code later}'s value where both have one: PostgreSQL's {@code earlier || later}. */
    private static Map<Object, Object> union(Map<?, ?> earlier, Map<?, ?> later) {
        Map<Object, Object> all = new LinkedHashMap<>(earlier);
        all.putAll(later);
        return all;
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
                && Arrays.equals(rules, f.rules);
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
