package io.flywheel.monitor.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Small hand-checkable cases against scipy 1.17.1 / numpy 2.4.6; expected values printed by
 * src/test/resources/drift/reference_values.py (the calls are quoted next to each value).
 */
class DivergencesTest {

    private static final double[] P = {10, 20, 0, 30, 40};
    private static final double[] Q = {12, 18, 5, 25, 40};

    @Test
    void jensenShannonIsScipysDistanceBase2() {
        // jensenshannon([10,20,0,30,40], [12,18,5,25,40], base=2)
        assertEquals(0.16636766706795775, JensenShannon.distance(P, Q), 1e-15);
        assertEquals(0.0, JensenShannon.distance(P, P), 1e-15);
        assertEquals(1.0, JensenShannon.distance(new double[] {1, 0}, new double[] {0, 1}), 1e-15);
        // floored proportions as make_golden.py: jensenshannon(r/r.sum(), c/c.sum(), base=2), r = max(p/sum, 1e-4)
        assertEquals(0.16494184104038423, JensenShannon.binned(new long[] {10, 20, 0, 30, 40}, new long[] {12, 18, 5, 25, 40}), 1e-15);
    }

    @Test
    void hellingerIsEvidentlysFormula() {
        // sqrt(sum((sqrt(p) - sqrt(q))**2)) / sqrt(2) on normalised p, q
        assertEquals(0.16388273288019378, Hellinger.distance(P, Q), 1e-15);
        // equal to sqrt(1 - sum sqrt(p q)), the Bhattacharyya form
        double bc = 0;
        for (int i = 0; i < P.length; i++) {
            bc += Math.sqrt(P[i] / 100 * Q[i] / 100);
        }
        assertEquals(Math.sqrt(1 - bc), Hellinger.distance(P, Q), 1e-12);
        assertEquals(1.0, Hellinger.distance(new double[] {1, 0}, new double[] {0, 1}), 1e-15);
        assertEquals(0.0, Hellinger.distance(new long[] {3, 7}, new long[] {30, 70}), 0.0);
    }

    @Test
    void psiFloorsProportions() {
        // np.sum((c - r) * np.log(c / r)) with r, c = max(p/sum, 1e-4)
        assertEquals(0.3249786634000007, Psi.of(P, Q), 1e-15);
        assertEquals(0.0, Psi.of(new long[] {5, 5}, new long[] {50, 50}), 0.0);
        assertTrue(Psi.of(new long[] {100, 0}, new long[] {0, 100}) > 1, "floors keep disjoint supports finite");
    }

    @Test
    void chiSquareAgainstScipy() {
        // chisquare([40,45,15], f_exp=[50,30,20]/100*100)
        ChiSquareResult r = ChiSquare.test(new long[] {50, 30, 20}, new long[] {40, 45, 15});
        assertEquals(10.75, r.statistic(), 1e-12);
        assertEquals(0.004630918733533247, r.pValue(), 1e-15);
        assertEquals(2, r.degreesOfFreedom());
        // a p-value far below 1e-16 is still resolved (1 - CDF would be exactly 0): golden cat-shift,
        // scipy.stats.chi2.sf(673.4420272573329, 4) = 1.961010523629655e-144
        assertEquals(1.961010523629655e-144, ChiSquare.survival(673.4420272573329, 4), 1e-9 * 1.961010523629655e-144);
        // e^-1424 underflows to 0 in doubles, in scipy too (it prints p = 0.0)
        ChiSquareResult big = ChiSquare.test(new long[] {500, 300, 200, 100}, new long[] {100, 300, 500, 700});
        assertEquals(2848.1249999999995, big.statistic(), 1e-9);
        assertEquals(0.0, big.pValue(), 0.0);
    }

    @Test
    void chiSquareDropsUnseenCategoriesThatUnseenShareReports() {
        List<String> ref = List.of("a", "a", "b", "b");
        List<String> cur = List.of("a", "b", "new", "new");
        CategoryDictionary dict = CategoryDictionary.fromReference(ref);
        ChiSquareResult r = ChiSquare.test(dict, dict.histogram(ref), dict.histogram(cur));
        assertEquals(0.0, r.statistic(), 0.0, "a:b = 1:1 in both once 'new' is dropped");
        assertEquals(1.0, r.pValue(), 0.0);
        assertEquals(0.5, UnseenShare.of(ref, cur), 0.0);
    }

    @Test
    void wassersteinAgainstScipy() {
        // wasserstein_distance(u, v) and np.std(u)
        assertEquals(5.0, Wasserstein.distance(new double[] {0, 1, 3}, new double[] {5, 6, 8}), 1e-15);
        assertEquals(1.0833333333333335, Wasserstein.distance(new double[] {1, 1, 2, 5}, new double[] {1, 3, 3}), 1e-15);
        assertEquals(2.666666666666667, Wasserstein.distance(new double[] {3.5}, new double[] {1.25, 1.25, 7}), 1e-15);
        assertEquals(0.5, Wasserstein.distance(new double[] {-0.0, 0.0, 2}, new double[] {0.0, 1}), 1e-15);
        assertEquals(1.6393596310755, Wasserstein.populationStd(new double[] {1, 1, 2, 5}), 1e-15);
        // std 0 is floored at 0.001
        assertEquals(2.666666666666667 / 0.001, Wasserstein.normalised(new double[] {3.5}, new double[] {1.25, 1.25, 7}), 1e-9);
        assertEquals(5.0 / 1.247219128924647, Wasserstein.normalised(new double[] {0, 1, 3}, new double[] {5, 6, 8}), 1e-14);
        assertEquals(Wasserstein.distance(new double[] {2, 0, 1}, new double[] {3, 1}),
            Wasserstein.distanceOfSorted(new double[] {0, 1, 2}, new double[] {1, 3}), 0.0);
    }

    @Test
    void proportionZTestAsEvidently() {
        // p1=k1/n1, p2=k2/n2, P pooled, z=(p1-p2)/sqrt(P(1-P)(1/n1+1/n2)), p = 2*(1 - norm.cdf(|z|))
        ProportionZTest.Result a = ProportionZTest.test(30, 100, 45, 120);
        assertEquals(-1.1685534824642432, a.statistic(), 1e-13);
        assertEquals(0.2425835793483211, a.pValue(), 1e-13);
        ProportionZTest.Result b = ProportionZTest.test(500, 1000, 520, 1000);
        assertEquals(-0.894606130121643, b.statistic(), 1e-13);
        assertEquals(0.37099767373660786, b.pValue(), 1e-13);
        ProportionZTest.Result c = ProportionZTest.test(0, 50, 10, 60);
        assertEquals(-3.0276503540974917, c.statistic(), 1e-13);
        assertEquals(0.002464630724967831, c.pValue(), 1e-13);
        assertEquals(1.0, ProportionZTest.test(7, 7, 3, 3).pValue(), 0.0, "one value in both samples");
    }

    @Test
    void multipleTestingAdjustments() {
        double[] p = {0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04};
        // scipy.stats.false_discovery_control(p)
        assertArrayEquals(new double[] {0.035, 0.055999999999999994, 0.055999999999999994, 0.035, 0.5,
            0.23333333333333336, 0.055999999999999994}, MultipleTesting.benjaminiHochberg(p), 1e-16);
        assertArrayEquals(new double[] {0.07, 0.28, 0.21, 0.035, 1.0, 1.0, 0.28}, MultipleTesting.bonferroni(p), 1e-15);
    }
}
