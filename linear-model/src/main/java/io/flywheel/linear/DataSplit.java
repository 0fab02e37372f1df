package io.flywheel.linear;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The deterministic train/holdout split: the same row count, fraction and seed always select the
 * same rows, on any JVM, so that retrain can split once (or split again, identically) and score
 * the champion and the candidate on the same holdout.
 *
 * <p>Algorithm (fixed; changing it changes every split): a Fisher–Yates shuffle of
 * {@code 0..n-1} driven by {@code java.util.Random(seed)} (whose sequence the JDK specifies),
 * walking i from n−1 down to 1 and swapping i with {@code nextInt(i + 1)}; the first
 * {@code ceil(fraction·n)} indices of the permutation are the holdout. Both parts keep the
 * original row order.
 */
public final class DataSplit {

    private DataSplit() {
    }

    /** A split of a list: both parts in the original order. */
    public record Split<T>(List<T> train, List<T> holdout) {
        public Split {
            train = List.copyOf(train);
            holdout = List.copyOf(holdout);
        }
    }

    /** Splits rows (any type, no nulls) into train and holdout. */
    public static <T> Split<T> split(List<T> rows, double holdoutFraction, long seed) {
        boolean[] holdout = holdoutMask(rows.size(), holdoutFraction, seed);
        List<T> train = new ArrayList<>();
        List<T> held = new ArrayList<>();
        for (int i = 0; i < holdout.length; i++) {
            (holdout[i] ? held : train).add(rows.get(i));
        }
        return new Split<>(train, held);
    }

    /** How many of n rows the holdout takes: {@code ceil(fraction·n)}. */
    public static int holdoutSize(int n, double holdoutFraction) {
        if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
            throw new IllegalArgumentException("holdout_fraction must be in [0, 1), got " + holdoutFraction);
        }
        // the small slack keeps e.g. 0.1 * 30 (= 3.0000000000000004) from rounding up to 4
        return (int) Math.ceil(n * holdoutFraction - 1e-9);
    }

    /** Whether each of n rows is in the holdout. */
    public static boolean[] holdoutMask(int n, double holdoutFraction, long seed) {
        int size = holdoutSize(n, holdoutFraction);
        if (size > 0 && size >= n) {
            throw new IllegalArgumentException("a holdout_fraction of " + holdoutFraction + " of " + n
                    + " rows leaves no rows to train on");
        }
        int[] permutation = new int[n];
        for (int i = 0; i < n; i++) {
            permutation[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        boolean[] mask = new boolean[n];
        for (int k = 0; k < size; k++) {
            mask[permutation[k]] = true;
        }
        return mask;
    }

    /** The holdout's row indices, ascending. */
    public static int[] holdoutIndices(int n, double holdoutFraction, long seed) {
        boolean[] mask = holdoutMask(n, holdoutFraction, seed);
        int count = 0;
        for (boolean m : mask) {
            count += m ? 1 : 0;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (mask[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
