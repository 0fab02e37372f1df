package io.flywheel.monitor.drift;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Maps the reference's categories to bin indexes 0..K-1, in sorted order (as make_golden.py
 * sorts them), plus one "other" bin, index K, for every category the reference never had. A
 * histogram over {@link #binCount()} = K + 1 bins then serves chi-square (bins 0..K-1),
 * {@link UnseenShare} (bin K) and the binned distances.
 *
 * <p>Sorting uses {@link String#compareTo}, which matches Python's sort except for characters
 * outside the Basic Multilingual Plane. Null categories are rejected: map missing values to a
 * sentinel first. Immutable and thread-safe.
 */
public final class CategoryDictionary {

    private final List<String> categories;
    private final Map<String, Integer> index;

    private CategoryDictionary(List<String> categories) {
        this.categories = List.copyOf(categories);
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < categories.size(); i++) {
            map.put(categories.get(i), i);
        }
        this.index = map;
    }

    /** The distinct values of the reference, sorted. */
    public static CategoryDictionary fromReference(Iterable<String> referenceValues) {
        return new CategoryDictionary(sortedDistinct(referenceValues, null));
    }

    /**
     * The sorted union of the categories of both samples: the layout make_golden.py uses for
     * categorical PSI and Jensen–Shannon when both samples are at hand.
     */
    public static CategoryDictionary fromUnion(Iterable<String> reference, Iterable<String> current) {
        return new CategoryDictionary(sortedDistinct(reference, current));
    }

    private static List<String> sortedDistinct(Iterable<String> a, Iterable<String> b) {
        TreeSet<String> set = new TreeSet<>();
        addAll(set, a, "reference categories");
        if (b != null) {
            addAll(set, b, "current categories");
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("reference categories are empty: at least one value is needed");
        }
        return new ArrayList<>(set);
    }

    private static void addAll(TreeSet<String> set, Iterable<String> values, String what) {
        if (values == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        int i = 0;
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException(what + " contain null at position " + i);
            }
            set.add(v);
            i++;
        }
    }

    /** Number of known categories K. */
    public int size() {
        return categories.size();
    }

    /** K + 1: the known categories and the "other" bin. */
    public int binCount() {
        return categories.size() + 1;
    }

    /** Index of the "other" bin, K. */
    public int otherIndex() {
        return categories.size();
    }

    /** Bin of a category: its index, or {@link #otherIndex()} if unknown. */
    public int indexOf(String category) {
        if (category == null) {
            throw new IllegalArgumentException("category is null: map missing values to a sentinel first");
        }
        Integer i = index.get(category);
        return i == null ? categories.size() : i;
    }

    public String categoryAt(int i) {
        return categories.get(i);
    }

    public List<String> categories() {
        return Collections.unmodifiableList(categories);
    }

    /**
     * Reference and current counts over the categories that occur in at least one of the two
     * histograms: the K known categories, and the "other" bin only if it is not empty in both.
     * Binned distances need this because they floor empty bins at 1e-4: an "other" bin that is
     * empty everywhere would otherwise add mass that no category has. With a dictionary built by
     * {@link #fromUnion} this is exactly make_golden.py's "union of categories".
     */
    public AlignedCounts aligned(Histogram reference, Histogram current) {
        Checks.requireSameLength(reference.binCount(), binCount(), "reference histogram", "dictionary");
        Checks.requireSameLength(current.binCount(), binCount(), "current histogram", "dictionary");
        int other = otherIndex();
        boolean keepOther = reference.count(other) > 0 || current.count(other) > 0;
        int n = keepOther ? binCount() : size();
        return new AlignedCounts(java.util.Arrays.copyOf(reference.counts(), n),
            java.util.Arrays.copyOf(current.counts(), n));
    }

    /** Per-category counts of the reference and the current sample, index-aligned. */
    public record AlignedCounts(long[] reference, long[] current) {
    }

    /** Histogram of a sample over the K + 1 bins. */
    public Histogram histogram(Iterable<String> values) {
        Histogram h = Histogram.withBins(binCount());
        for (String v : values) {
            h.record(indexOf(v));
        }
        return h;
    }
}
