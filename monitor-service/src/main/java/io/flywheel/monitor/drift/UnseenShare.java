package io.flywheel.monitor.drift;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Share of current values whose category never occurs in the reference, in [0, 1]. It is the
 * part of the current data that {@link ChiSquare} drops, reported so that it is not lost; it is a
 * distance-like statistic (drift when &gt;= threshold).
 */
public final class UnseenShare {

    private UnseenShare() {
    }

    public static double of(long unseenCount, long currentCount) {
        if (currentCount <= 0) {
            throw new IllegalArgumentException("current count must be positive, was " + currentCount);
        }
        if (unseenCount < 0 || unseenCount > currentCount) {
            throw new IllegalArgumentException("unseen count must be in [0, " + currentCount + "], was " + unseenCount);
        }
        return (double) unseenCount / currentCount;
    }

    /** From a current histogram built with the reference's dictionary: its "other" bin. */
    public static double of(CategoryDictionary dictionary, Histogram current) {
        Checks.requireSameLength(current.binCount(), dictionary.binCount(), "current histogram", "dictionary");
        return of(current.count(dictionary.otherIndex()), current.total());
    }

    public static double of(Collection<String> reference, Collection<String> current) {
        if (reference == null || reference.isEmpty()) {
            throw new IllegalArgumentException("reference categories are empty: at least one value is needed");
        }
        if (current == null || current.isEmpty()) {
            throw new IllegalArgumentException("current categories are empty: at least one value is needed");
        }
        Set<String> seen = new HashSet<>(reference);
        long unseen = 0;
        for (String c : current) {
            if (!seen.contains(c)) {
                unseen++;
            }
        }
        return of(unseen, current.size());
    }
}
