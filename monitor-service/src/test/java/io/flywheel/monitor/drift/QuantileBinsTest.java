package io.flywheel.monitor.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Quantile edges and bin assignment against numpy 2.4.6. Literals printed by
 * {@code np.quantile(np.array(ref), np.linspace(0, 1, B + 1)[1:-1])} and
 * {@code np.histogram(x, np.concatenate(([-np.inf], q, [np.inf])))[0]} (src/test/resources/drift/reference_values.py).
 */
class QuantileBinsTest {

    /** 33 values with many ties, so that several quantiles coincide. */
    static final double[] TIED = {3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.0, 9.0, 7.0, 9.0, 3.0, 2.0,
        3.0, 8.0, 4.0, 6.0, 2.0, 6.0, 4.0, 3.0, 3.0, 8.0, 3.0, 2.0, 7.0, 9.5, 0.25, 2.5};

    /** Includes values equal to edges, values outside the reference range and both infinities. */
    static final double[] CURRENT = {3.0, 3.0, 2.0, 5.0, 9.0, 9.5, 10.0, -1.0, 0.25, 1.0, 4.4, 6.0, 8.0, 8.0,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.8, 7.0, 5.0, 1.0};

    /** np.random.default_rng(7).normal(0, 1, 57). */
    static final double[] GAUSS = {0.0012301533574825742, 0.2987455375084699, -0.2741378553622176,
        -0.8905918387572742, -0.45467078517172255, -0.9916465549964624, 0.060143602597438485, 1.3402152455545335,
        -0.49220651855132963, -0.6204748998199404, 0.4898420501851982, 0.35688700816006075, 0.10541424899789856,
        -0.9304680447082047, -0.02925182246327349, 0.6953031944582878, -1.344214547285082, -0.45761576104021817,
        -1.901222739800844, -1.289537739784976, -1.8417350377917323, -0.23509113107468127, -1.2674464814437032,
        0.2712643588217015, 0.15675108662422516, -0.18693094462995438, -2.516759710820513, -0.5386928958466366,
        -0.048500945401071985, 0.11330898600330756, -1.5301357655053935, -0.47775327603393064, -0.9785190780566395,
        -0.8088372394255993, 1.0608986233860787, -0.8075346753318965, -0.0325217049455206, 0.8843898673831739,
        -0.583600432743302, -0.11170194958415963, 0.11046414324948059, 0.06378177425506196, -1.2250558264176934,
        0.0761402303770081, 1.3588234217415376, -1.5471446781284823, 0.8593826880215982, 0.11935402569658124,
        -0.6414703941072214, 2.000416546342423, 0.7622597120847118, -1.1992889021052233, 0.07451622877146342,
        0.5766895836701853, -0.1887821253507493, 0.682910267195206, -0.06651732014941557};

    @Test
    void edgesMatchNpQuantileWithTies() {
        assertArrayEquals(new double[] {2.0, 2.2, 3.0, 3.0, 4.0, 5.0, 6.0, 7.600000000000001, 8.8},
            QuantileBins.fromReference(TIED, 10).innerEdges(), 0.0);
        assertArrayEquals(new double[] {2.0, 3.0, 3.0, 5.0, 6.0, 8.0}, QuantileBins.fromReference(TIED, 7).innerEdges(), 0.0);
        assertArrayEquals(new double[] {3.0, 4.0, 7.0}, QuantileBins.fromReference(TIED, 4).innerEdges(), 0.0);
        double[] hundred = QuantileBins.fromReference(TIED, 100).innerEdges();
        assertEquals(99, hundred.length);
        // a few of numpy's 99 percentiles, incl. ones where linspace's k*0.01 is not exact
        assertEquals(0.49, hundred[0], 0.0);
        assertEquals(1.2400000000000002, hundred[6], 0.0);
        assertEquals(3.4000000000000004, hundred[44], 0.0);
        assertEquals(3.7200000000000006, hundred[45], 0.0);
        assertEquals(4.920000000000002, hundred[55], 0.0);
        assertEquals(6.039999999999999, hundred[71], 0.0);
        assertEquals(9.34, hundred[98], 0.0);
    }

    @Test
    void edgesMatchNpQuantileOnContinuousData() {
        assertArrayEquals(new double[] {-1.3114084627850184, -0.9689088713869525, -0.6246739986773965,
            -0.45643777069281993, -0.11170194958415963, 0.036578222901456625, 0.111033111800246, 0.34525871402974284,
            0.8011089024594662}, QuantileBins.fromReference(GAUSS, 10).innerEdges(), 0.0);
        double[] hundred = QuantileBins.fromReference(GAUSS, 100).innerEdges();
        // note 29 (q = 0.3): -0.6246739986773966 here, ...65 with 10 bins: linspace gives q = 0.3 vs 0.30000000000000004
        assertEquals(-0.6246739986773966, hundred[29], 0.0);
        assertEquals(-2.1720590070494983, hundred[0], 0.0);
        assertEquals(0.03657822290145621, hundred[59], 0.0);
        assertEquals(1.6411243965659257, hundred[98], 0.0);
    }

    @Test
    void assignmentMatchesNpHistogramIncludingDuplicateEdges() {
        assertArrayEquals(new long[] {5, 1, 1, 0, 2, 1, 2, 2, 2, 4}, QuantileBins.fromReference(TIED, 10).histogram(CURRENT).counts());
        assertArrayEquals(new long[] {3, 4, 1, 0, 7, 3, 3, 5, 3, 4}, QuantileBins.fromReference(TIED, 10).histogram(TIED).counts());
        assertArrayEquals(new long[] {5, 2, 0, 3, 2, 2, 6}, QuantileBins.fromReference(TIED, 7).histogram(CURRENT).counts());
        assertArrayEquals(new long[] {3, 5, 0, 10, 3, 5, 7}, QuantileBins.fromReference(TIED, 7).histogram(TIED).counts());
        assertArrayEquals(new long[] {7, 2, 4, 7}, QuantileBins.fromReference(TIED, 4).histogram(CURRENT).counts());
        assertArrayEquals(new long[] {8, 7, 9, 9}, QuantileBins.fromReference(TIED, 4).histogram(TIED).counts());
    }

    @Test
    void binOfFollowsTheRightOfEdgeRule() {
        QuantileBins bins = QuantileBins.ofInnerEdges(new double[] {0.0, 1.0, 1.0, 1.0, 2.0});
        assertEquals(6, bins.binCount());
        assertEquals(0, bins.binOf(Double.NEGATIVE_INFINITY));
        assertEquals(0, bins.binOf(-1e-300));
        assertEquals(1, bins.binOf(0.0));
        assertEquals(1, bins.binOf(-0.0), "-0.0 equals the edge 0.0, as for numpy");
        assertEquals(1, bins.binOf(0.999));
        assertEquals(4, bins.binOf(1.0), "past all three duplicate edges");
        assertEquals(4, bins.binOf(1.5));
        assertEquals(5, bins.binOf(2.0));
        assertEquals(5, bins.binOf(Double.POSITIVE_INFINITY), "the last bin includes +inf");
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, 0.0, 1.0, 1.0, 1.0, 2.0, Double.POSITIVE_INFINITY},
            bins.edges(), 0.0);
    }

    @Test
    void defaultIsOneHundredBinsAndLimitsAreChecked() {
        assertEquals(100, QuantileBins.fromReference(GAUSS).binCount());
        assertEquals(10_000, QuantileBins.fromReference(GAUSS, 10_000).binCount());
        assertEquals(1, QuantileBins.fromReference(new double[] {4.0}, 1).binCount());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
            () -> QuantileBins.fromReference(GAUSS, 10_001));
        assertEquals("number of bins must be in [1, 10000], was 10001", tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantileBins.ofInnerEdges(new double[] {1.0, 0.5}));
    }

    @Test
    void singleValueReferenceGivesDuplicateEdgesAndTwoUsedBins() {
        QuantileBins bins = QuantileBins.fromReference(new double[] {2.5, 2.5, 2.5}, 10);
        for (double e : bins.innerEdges()) {
            assertEquals(2.5, e, 0.0);
        }
        assertEquals(0, bins.binOf(2.4));
        assertEquals(9, bins.binOf(2.5));
    }
}
