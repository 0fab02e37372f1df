package io.flywheel.monitor.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * KS against scipy 1.17.1. The samples are deterministic low-discrepancy sequences that Python and
 * Java compute bit-identically (only *, -, floor):
 * <pre>
 *   u(n)[i] = i*0.6180339887498949 - floor(i*0.6180339887498949),  i = 1..n
 *   v(n)[j] = j*0.41421356237309515 - floor(j*0.41421356237309515), j = 1..n
 *   w(n, a) = v(n) + a*v(n)*(1 - v(n))
 * </pre>
 * Expected values were produced with {@code scipy.stats.ks_2samp(u(n1), w(n2, a) * scale)}
 * (src/test/resources/drift/reference_values.py, numpy 2.4.6, scipy 1.17.1).
 */
class KolmogorovSmirnovTest {

    private static final double PHI = 0.6180339887498949;
    private static final double SQ2 = 0.41421356237309515;

    static double[] u(int n) {
        double[] x = new double[n];
        for (int i = 1; i <= n; i++) {
            x[i - 1] = i * PHI - Math.floor(i * PHI);
        }
        return x;
    }

    static double[] w(int n, double a, double scale) {
        double[] x = new double[n];
        for (int j = 1; j <= n; j++) {
            double v = j * SQ2 - Math.floor(j * SQ2);
            x[j - 1] = (v + a * v * (1 - v)) * scale;
        }
        return x;
    }

    private static void assertKs(double[] a, double[] b, double d, double p, KsResult.Method method) {
        KsResult r = KolmogorovSmirnov.test(a, b);
        assertEquals(d, r.statistic(), 1e-15 * Math.max(1, d), "D");
        assertEquals(p, r.pValue(), Math.max(1e-10, 1e-8 * p), "p-value");
        assertEquals(method, r.method());
    }

    @Test
    void asymptoticBranchAboveTenThousand() {
        // scipy: D=0.007649999999999935 p=0.8271374298412364 (kstwo, n = round(12000*15000/27000) = 6667)
        assertKs(u(12000), w(15000, 0.03, 1.0), 0.007649999999999935, 0.8271374298412364, KsResult.Method.ASYMPTOTIC);
        // one tiny sample: n = round(3*20000/20003) = 3, Pomeranz / Durbin region of kstwo
        assertKs(u(3), w(20000, 0.0, 1.0), 0.28476666666666667, 0.9209337884319999, KsResult.Method.ASYMPTOTIC);
        assertKs(u(500), w(10001, 0.1, 1.0), 0.027845415458454148, 0.843901877090677, KsResult.Method.ASYMPTOTIC);
        assertKs(u(10001), w(9000, 0.02, 1.0), 0.005251374862513758, 0.999383070109702, KsResult.Method.ASYMPTOTIC);
    }

    @Test
    void asymptoticTinyPValueUsesTheSmirnovTail() {
        // n1 = n2 = 20000, n = 10000, n*D^2 = 100: 2 * smirnov(10000, D); relative accuracy matters here
        KsResult r = KolmogorovSmirnov.test(u(20000), w(20000, 0.0, 0.9));
        assertEquals(0.10004999999999997, r.statistic(), 1e-16);
        assertEquals(1.360475807862515e-87, r.pValue(), 1e-9 * 1.360475807862515e-87);
    }

    @Test
    void exactBranchUpToTenThousand() {
        assertKs(u(300), w(300, 0.1, 1.0), 0.02666666666666667, 0.9999324508116627, KsResult.Method.EXACT);
        assertKs(u(1), w(1, 0.0, 1.0), 1.0, 1.0, KsResult.Method.EXACT);
        assertKs(u(1), w(5, 0.0, 1.0), 0.6, 1.0, KsResult.Method.EXACT);
        assertKs(u(7), w(13, 0.3, 1.0), 0.24175824175824176, 0.8972136222910218, KsResult.Method.EXACT);
        assertKs(u(10000), w(9999, 0.02, 1.0), 0.005255045504550455, 0.9989605413739224, KsResult.Method.EXACT);
        assertKs(u(997), w(1000, 0.05, 1.0), 0.013170511534603812, 0.9999862317200905, KsResult.Method.EXACT);
    }

    /**
     * scipy's exact n1 == n2 formula returns 1.0000000000000002 for h = 1 at some n, fails its
     * "0 <= prob <= 1" check and falls back to the asymptotic distribution (with a RuntimeWarning):
     * ks_2samp([1,2,3,4,5], [1,2,3,4,5.5]) and ks_2samp(range(14), [*range(13), 20]) both give p = 1.0.
     */
    @Test
    void exactFailureFallsBackToAsymptoticLikeScipy() {
        assertEquals(1.0000000000000002, KsExactDistribution.probOutsideSquare(5, 1), 0.0);
        assertKs(new double[] {1, 2, 3, 4, 5}, new double[] {1, 2, 3, 4, 5.5}, 0.2, 1.0, KsResult.Method.ASYMPTOTIC);
        double[] a = new double[14];
        double[] b = new double[14];
        for (int i = 0; i < 14; i++) {
            a[i] = i;
            b[i] = i < 13 ? i : 20;
        }
        assertKs(a, b, 0.07142857142857142, 1.0, KsResult.Method.ASYMPTOTIC);
    }

    @Test
    void tiesWithinAndAcrossSamples() {
        double[] a = u(400);
        double[] b = w(300, 0.0, 1.0);
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.floor(a[i] * 7);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = Math.floor(b[i] * 7 + 0.5);
        }
        // scipy.stats.ks_2samp(floor(u(400)*7), floor(v(300)*7+0.5))
        assertKs(a, b, 0.07416666666666667, 0.2898554176597418, KsResult.Method.EXACT);
        assertKs(new double[] {1, 2, 3}, new double[] {1, 2, 3}, 0.0, 1.0, KsResult.Method.EXACT);
        // -0.0 and 0.0 are one value for scipy: ks_2samp([0.0, -0.0, 1.0], [0.0, 2.0]) = (0.5, 0.9)
        assertKs(new double[] {0.0, -0.0, 1.0}, new double[] {0.0, 2.0}, 0.5, 0.9, KsResult.Method.EXACT);
        // infinities are ordinary values: ks_2samp([-inf, 0, 1, inf], [0.5, 2, inf]) = (0.5, 0.6571428571428571)
        assertKs(new double[] {Double.NEGATIVE_INFINITY, 0.0, 1.0, Double.POSITIVE_INFINITY},
            new double[] {0.5, 2.0, Double.POSITIVE_INFINITY}, 0.5, 0.6571428571428571, KsResult.Method.EXACT);
    }

    @Test
    void sortedEntryPointGivesTheSameResultAndChecksOrder() {
        double[] a = u(5000);
        double[] b = w(7000, 0.05, 1.0);
        KsResult unsorted = KolmogorovSmirnov.test(a, b);
        double[] sa = a.clone();
        double[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        assertEquals(unsorted, KolmogorovSmirnov.testSorted(sa, sb));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> KolmogorovSmirnov.testSorted(new double[] {1, 3, 2}, sb));
        assertTrue(e.getMessage().contains("not sorted"), e.getMessage());
    }

    @Test
    void inputsAreNotModified() {
        double[] a = w(6000, 0.2, 1.0);
        double[] b = u(5000);
        double[] a0 = a.clone();
        double[] b0 = b.clone();
        KolmogorovSmirnov.test(a, b);
        assertArrayEquals(a0, a);
        assertArrayEquals(b0, b);
    }

    /** The radix path (n >= 16384) and the merge must agree with a plain sort-and-scan for any data. */
    @Test
    void largeSamplesMatchANaiveComputation() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int round = 0; round < 6; round++) {
            int n1 = 16384 + rnd.nextInt(30000);
            int n2 = 16384 + rnd.nextInt(30000);
            double[] a = new double[n1];
            double[] b = new double[n2];
            for (int i = 0; i < n1; i++) {
                a[i] = round % 2 == 0 ? rnd.nextGaussian() : Math.floor(rnd.nextGaussian() * 20) - 0.0;
            }
            for (int i = 0; i < n2; i++) {
                b[i] = round % 2 == 0 ? rnd.nextGaussian() * 1.05 : Math.floor(rnd.nextGaussian() * 20 + 1) * -1.0;
            }
            if (round == 5) {
                a[0] = -0.0;
                b[0] = 0.0;
                a[1] = Double.NEGATIVE_INFINITY;
                b[1] = Double.POSITIVE_INFINITY;
            }
            assertEquals(naiveD(a, b), KolmogorovSmirnov.test(a, b).statistic(), 1e-15, "round " + round);
        }
    }

    /** Data that make the radix sort skip one or both passes, or fall back to Arrays.sort. */
    @Test
    void radixSortCornerCases() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 20000;
        double[] sameUpperHalf = new double[n];   // 1 + k ulp: upper 32 key bits all equal
        double[] sameTopDigit = new double[n];    // [1, 1.0625): only the lower radix digit varies
        double[] other = new double[n];
        for (int i = 0; i < n; i++) {
            sameUpperHalf[i] = 1.0 + rnd.nextInt(1_000_000) * Math.ulp(1.0);
            sameTopDigit[i] = 1.0 + rnd.nextDouble() * 0.0625;
            other[i] = 1.0 + rnd.nextDouble() * 0.07;
        }
        for (double[] a : new double[][] {sameUpperHalf, sameTopDigit}) {
            double[] sorted = a.clone();
            Arrays.sort(sorted);
            assertArrayEquals(sorted, SortedKeys.sortedValues(a, "sample"));
            assertEquals(naiveD(a, other), KolmogorovSmirnov.test(a, other).statistic(), 1e-15);
        }
    }

    /** D as scipy computes it, with binary searches on Arrays.sort copies. */
    static double naiveD(double[] a, double[] b) {
        double[] sa = a.clone();
        double[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        double max = 0;
        for (double[] all : new double[][] {sa, sb}) {
            for (double x : all) {
                double diff = (double) countAtMost(sa, x) / sa.length - (double) countAtMost(sb, x) / sb.length;
                max = Math.max(max, Math.abs(diff));
            }
        }
        return max;
    }

    private static int countAtMost(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Test
    void significanceFollowsTheAutoRules() {
        KsResult exact = KolmogorovSmirnov.significance(0.24175824175824176, 7, 13);
        assertEquals(KsResult.Method.EXACT, exact.method());
        assertEquals(0.8972136222910218, exact.pValue(), 1e-12);
        KsResult asymptotic = KolmogorovSmirnov.significance(0.007649999999999935, 12000, 15000);
        assertEquals(KsResult.Method.ASYMPTOTIC, asymptotic.method());
        assertEquals(0.8271374298412364, asymptotic.pValue(), 1e-10);
    }

    /**
     * scipy.stats.kstwo.sf(x, n) and kstwo.cdf(x, n), one point per algorithm branch of
     * _kolmogn: Ruben–Gambino ends, 2*smirnov for x >= 0.5, Durbin matrix, Pomeranz, Smirnov tail,
     * Pelz–Good, n > 1e6 Smirnov approximation (values printed by src/test/resources/drift/reference_values.py).
     */
    @Test
    void kstwoMatchesScipyOnEveryBranch() {
        double[][] sf = {
            {10, 0.07, 0.9999999619492741},
            {200, 0.004, 1.0},
            {10, 0.95, 1.9531250000000172e-13},
            {3, 0.7, 0.05400000000000003},
            {20, 0.55, 3.2861970662280095e-06},
            {1000, 0.6, 0.0},
            {50, 0.1, 0.6623112704658186},
            {140, 0.05, 0.8576480297656114},
            {50, 0.2, 0.03143877776953241},
            {100, 0.15, 0.019839242125643017},
            {30, 0.4, 7.621035572702763e-05},
            {140, 0.3, 1.1370251710737309e-11},
            {1000, 0.05, 0.013012074781090332},
            {6667, 0.02, 0.009522631972687882},
            {5000, 0.01, 0.6954557253913853},
            {100000, 0.0025, 0.5586954140357887},
            {100001, 0.002, 0.8178361459744294},
            {500000, 0.001, 0.6989801443663661},
            {500000, 0.0018, 0.07822910081897916},
            {500000, 0.003, 0.00024632301239186754},
            {2000000, 0.0012, 0.006297183259583361},
            {2000000, 0.002, 2.247704493692889e-07},
            {1000, 0.7, 0.0},
            {20000, 0.14, 0.0},
        };
        for (double[] c : sf) {
            double actual = KolmogorovDistribution.sf((long) c[0], c[1]);
            assertEquals(c[2], actual, Math.max(1e-15, 1e-11 * c[2]), "kstwo.sf(" + c[1] + ", " + (long) c[0] + ")");
        }
        double[][] cdf = {
            {50, 0.08, 0.11916029805897697},
            {140, 0.04, 0.028027341238133916},
            {5000, 0.008, 0.09640921232197243},
            {500000, 0.0009, 0.18760469014280706},
            {100, 0.12, 0.8966962509818013},
        };
        for (double[] c : cdf) {
            double actual = KolmogorovDistribution.cdf((long) c[0], c[1]);
            assertEquals(c[2], actual, Math.max(1e-15, 1e-11 * c[2]), "kstwo.cdf(" + c[1] + ", " + (long) c[0] + ")");
        }
    }
}
