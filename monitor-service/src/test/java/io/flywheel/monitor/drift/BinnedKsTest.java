package io.flywheel.monitor.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bracket of {@link BinnedKs} must contain the exact D of the raw samples. */
class BinnedKsTest {

    private static void assertBracketContainsExactD(double[] ref, double[] cur, QuantileBins bins, String label) {
        KsResult exact = KolmogorovSmirnov.test(ref, cur);
        BinnedKsResult binned = BinnedKs.compare(bins.histogram(ref), bins.histogram(cur));
        assertTrue(binned.lowerBound() <= exact.statistic(), label + ": lower " + binned.lowerBound() + " > D " + exact.statistic());
        assertTrue(exact.statistic() <= binned.upperBound(), label + ": D " + exact.statistic() + " > upper " + binned.upperBound());
        assertEquals(binned.lowerBound(), binned.estimate(), 0.0);
        assertEquals(ref.length, binned.referenceCount());
        assertEquals(cur.length, binned.windowCount());
    }

    @Test
    void bracketContainsExactDForEveryNumericGoldenCase() {
        for (JsonNode c : GoldenCasesTest.numericCases()) {
            double[] ref = GoldenCasesTest.numbers(c.get("reference"));
            double[] cur = GoldenCasesTest.numbers(c.get("current"));
            for (int b : new int[] {10, 100}) {
                assertBracketContainsExactD(ref, cur, QuantileBins.fromReference(ref, b), c.get("name").asText() + " B=" + b);
            }
        }
    }

    @Test
    void bracketContainsExactDForRandomData() {
        SplittableRandom rnd = new SplittableRandom(99);
        for (int round = 0; round < 200; round++) {
            int n1 = 1 + rnd.nextInt(3000);
            int n2 = 1 + rnd.nextInt(3000);
            double shift = rnd.nextDouble() * 0.5;
            boolean discrete = round % 3 == 0;
            double[] ref = new double[n1];
            double[] cur = new double[n2];
            for (int i = 0; i < n1; i++) {
                ref[i] = discrete ? Math.floor(rnd.nextGaussian() * 3) : rnd.nextGaussian();
            }
            for (int i = 0; i < n2; i++) {
                cur[i] = discrete ? Math.floor(rnd.nextGaussian() * 3 + shift * 4) : rnd.nextGaussian() * (1 + shift) + shift;
            }
            int b = 1 + rnd.nextInt(200);
            assertBracketContainsExactD(ref, cur, QuantileBins.fromReference(ref, b), "round " + round + " B=" + b);
        }
    }

    @Test
    void bracketIsTightWhenBinsSeparateEveryValue() {
        // bins at every distinct value: the CDFs are known everywhere, so L = D
        double[] ref = {1, 2, 2, 3, 5, 8};
        double[] cur = {2, 3, 3, 4, 9};
        double[] edges = {2, 3, 4, 5, 8, 9};
        BinnedKsResult r = BinnedKs.compare(QuantileBins.ofInnerEdges(edges).histogram(ref),
            QuantileBins.ofInnerEdges(edges).histogram(cur));
        assertEquals(KolmogorovSmirnov.test(ref, cur).statistic(), r.lowerBound(), 0.0);
    }

    @Test
    void upperBoundIsAttainedByTheWorstArrangement() {
        // one bin [0, 1) holding all values: the histograms say nothing about the order inside
        QuantileBins bins = QuantileBins.ofInnerEdges(new double[] {0.0, 1.0});
        double[] refFirst = {0.1, 0.2, 0.3};
        double[] curLast = {0.7, 0.8};
        BinnedKsResult r = BinnedKs.compare(bins.histogram(refFirst), bins.histogram(curLast));
        assertEquals(0.0, r.lowerBound(), 0.0);
        assertEquals(1.0, r.upperBound(), 0.0);
        assertEquals(1.0, KolmogorovSmirnov.test(refFirst, curLast).statistic(), 0.0, "D reaches the upper bound");
        assertEquals(1.0, r.pValue(), 0.0, "p-value at the estimate D = 0");
    }

    @Test
    void pValueIsComputedAtTheEstimateWithScipyRules() {
        long[] ref = new long[50];
        long[] win = new long[50];
        Arrays.fill(ref, 300);
        for (int i = 0; i < 50; i++) {
            win[i] = 200 + 4 * i;
        }
        BinnedKsResult r = BinnedKs.compare(ref, win);
        KsResult expected = KolmogorovSmirnov.significance(r.estimate(), 15000, Arrays.stream(win).sum());
        assertEquals(KsResult.Method.ASYMPTOTIC, expected.method());
        assertEquals(expected.pValue(), r.pValue(), 0.0);
        assertTrue(r.upperBound() - r.lowerBound() <= 0.03 + 1e-12, "bins of mass <= 0.03 bound the bracket width");
    }
}
