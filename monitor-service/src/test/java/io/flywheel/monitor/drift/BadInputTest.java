package io.flywheel.monitor.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails with IllegalArgumentException and a message that says what is wrong. */
class BadInputTest {

    private static void assertRejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void emptySamples() {
        assertRejected("reference sample is empty: at least one value is needed",
            () -> KolmogorovSmirnov.test(new double[0], new double[] {1}));
        assertRejected("current sample is empty: at least one value is needed",
            () -> KolmogorovSmirnov.test(new double[] {1}, new double[0]));
        assertRejected("current sample is empty: at least one value is needed",
            () -> Wasserstein.distance(new double[] {1}, new double[0]));
        assertRejected("reference sample is empty: at least one value is needed",
            () -> QuantileBins.fromReference(new double[0], 10));
        assertRejected("reference categories are empty: at least one value is needed",
            () -> CategoryDictionary.fromReference(List.of()));
        assertRejected("window histogram is empty: it has no events",
            () -> BinnedKs.compare(new long[] {1, 2}, new long[] {0, 0}));
    }

    @Test
    void nanValues() {
        assertRejected("current sample contains NaN at index 1",
            () -> KolmogorovSmirnov.test(new double[] {1, 2}, new double[] {3, Double.NaN}));
        double[] big = new double[20_000]; // the radix path checks too
        Arrays.fill(big, 1.0);
        big[19_876] = Double.NaN;
        assertRejected("reference sample contains NaN at index 19876", () -> KolmogorovSmirnov.test(big, new double[] {1}));
        assertRejected("sorted reference sample contains NaN at index 0",
            () -> KolmogorovSmirnov.testSorted(new double[] {Double.NaN}, new double[] {1}));
        assertRejected("reference sample contains NaN at index 0",
            () -> Wasserstein.distance(new double[] {Double.NaN}, new double[] {1}));
        assertRejected("value is NaN: it has no bin", () -> QuantileBins.ofInnerEdges(new double[] {0}).binOf(Double.NaN));
        assertRejected("reference sample contains NaN at index 2",
            () -> QuantileBins.fromReference(new double[] {1, 2, Double.NaN}, 4));
        assertRejected("reference sample contains NaN at index 0",
            () -> DriftTests.numeric(new double[] {Double.NaN}, new double[] {1}, DriftPolicy.defaults()));
        assertRejected("KS statistic must be in [0, 1], was NaN", () -> KolmogorovSmirnov.significance(Double.NaN, 5, 5));
    }

    @Test
    void infiniteValuesWhereTheyHaveNoMeaning() {
        assertRejected("current sample contains Infinity at index 0: only finite values are allowed",
            () -> Wasserstein.distance(new double[] {1}, new double[] {Double.POSITIVE_INFINITY}));
        assertRejected("reference sample contains -Infinity at index 1: only finite values are allowed",
            () -> QuantileBins.fromReference(new double[] {1, Double.NEGATIVE_INFINITY}, 2));
    }

    @Test
    void malformedBinsAndCounts() {
        assertRejected("reference bins has 2 bins but current bins has 3: both must use the same bins",
            () -> Psi.of(new long[] {1, 2}, new long[] {1, 2, 3}));
        assertRejected("current bins has a negative count -1 at bin 1",
            () -> JensenShannon.binned(new long[] {1, 2}, new long[] {1, -1}));
        assertRejected("first distribution sums to 0: at least one bin must be positive",
            () -> Hellinger.distance(new double[] {0, 0}, new double[] {1, 1}));
        assertRejected("second distribution has an invalid weight NaN at index 0: weights must be finite and non-negative",
            () -> JensenShannon.distance(new double[] {1, 1}, new double[] {Double.NaN, 1}));
        assertRejected("reference count of category 1 is 0: every category of the test must occur in the reference",
            () -> ChiSquare.test(new long[] {3, 0}, new long[] {1, 1}));
        assertRejected("current counts sum to 0: no current value falls in a reference category",
            () -> ChiSquare.test(new long[] {3, 1}, new long[] {0, 0}));
        assertRejected("chi-square needs at least 2 reference categories, got 1",
            () -> ChiSquare.test(new long[] {3}, new long[] {1}));
        assertRejected("category is null: map missing values to a sentinel first",
            () -> CategoryDictionary.fromReference(List.of("a")).indexOf(null));
        assertRejected("unknown drift test 'kolmogorov'; known: ks, chi2, z, wasserstein, wasserstein_norm, psi, js, "
            + "hellinger, unseen_share", () -> DriftTest.fromId("kolmogorov"));
        assertRejected("p-value at index 1 must be in [0, 1], was 1.5",
            () -> MultipleTesting.benjaminiHochberg(new double[] {0.1, 1.5}));
        assertRejected("dataset drift share must be in (0, 1], was 0.0",
            () -> DriftPolicy.defaults().withDatasetDriftShare(0));
    }
}
