package io.flywheel.monitor.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreHistogramTest {

    private static ScoreHistogram histogram(int bins, double[] scores, boolean[] labels, int from, int to) {
        ScoreHistogram h = new ScoreHistogram(bins);
        for (int i = from; i < to; i++) {
            h.observe(scores[i], labels[i]);
        }
        return h;
    }

    @Test
    void matchesNumpyBinnedAuc() {
        // quality_reference.py: pairwise AUC of bin indices min(floor(s * B), B - 1)
        ScoreHistogram h10 = histogram(10, ReferenceData.SCORES, ReferenceData.LABELS, 0, 40);
        assertEquals(0.7395833333333334, h10.auc(), 1e-15);
        assertEquals(0.0546875, h10.sameBinPairBound(), 1e-15);
        ScoreHistogram h100 = histogram(100, ReferenceData.SCORES, ReferenceData.LABELS, 0, 40);
        assertEquals(0.7578125, h100.auc(), 1e-15);
        assertEquals(0.0078125, h100.sameBinPairBound(), 1e-15);
        assertEquals(16, h10.positives());
        assertEquals(24, h10.negatives());
    }

    @Test
    void binsAreHalfOpenWithOneInTheLastBin() {
        ScoreHistogram h = new ScoreHistogram(4);
        assertEquals(0, h.binOf(0.0));
        assertEquals(0, h.binOf(0.2499));
        assertEquals(1, h.binOf(0.25));
        assertEquals(3, h.binOf(0.75));
        assertEquals(3, h.binOf(1.0));
    }

    /**
     * Documented bound: |histogram AUC − exact AUC| ≤ sameBinPairBound() = ½·(same-bin pos/neg pairs)/(P·N),
     * because only pairs sharing a bin can be scored differently, by at most ½ each.
     */
    @Test
    void histogramAucIsWithinTheDocumentedBoundOfExactAuc() {
        Random r = new Random(5);
        int n = 5000;
        double[] s = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.3;
            double z = r.nextGaussian() * 0.15 + (y[i] ? 0.6 : 0.4);
            s[i] = Math.min(1.0, Math.max(0.0, z));
        }
        double exact = RocAuc.exact(s, y);
        double previousError = Double.POSITIVE_INFINITY;
        for (int bins : new int[] {10, 100, 1000}) {
            ScoreHistogram h = histogram(bins, s, y, 0, n);
            double error = Math.abs(h.auc() - exact);
            assertTrue(error <= h.sameBinPairBound(),
                    "bins=" + bins + " error " + error + " > bound " + h.sameBinPairBound());
            assertTrue(error < previousError, "finer bins should be closer, bins=" + bins);
            previousError = error;
        }
        // with 100 bins on this data the bound itself is small
        assertTrue(histogram(100, s, y, 0, n).sameBinPairBound() < 0.01);
    }

    @Test
    void addThenSubtractRoundTrips() {
        double[] s = ReferenceData.SCORES;
        boolean[] y = ReferenceData.LABELS;
        ScoreHistogram paneA = histogram(20, s, y, 0, 13);
        ScoreHistogram paneB = histogram(20, s, y, 13, 40);
        ScoreHistogram window = paneA.copy().add(paneB);
        assertEquals(histogram(20, s, y, 0, 40), window);
        window.subtract(paneA);
        assertEquals(paneB, window);
        assertEquals(RocAuc.exact(Arrays.copyOfRange(s, 13, 40), Arrays.copyOfRange(y, 13, 40)),
                window.auc(), window.sameBinPairBound() + 1e-12);
        window.subtract(paneB);
        assertEquals(new ScoreHistogram(20), window);
        assertTrue(Double.isNaN(window.auc()));
    }

    @Test
    void persistedCountsRestore() {
        ScoreHistogram h = histogram(10, ReferenceData.SCORES, ReferenceData.LABELS, 0, 40);
        ScoreHistogram back = ScoreHistogram.of(h.positivesPerBin(), h.negativesPerBin());
        assertEquals(h, back);
        assertArrayEquals(h.positivesPerBin(), back.positivesPerBin());
    }

    @Test
    void badInputThrows() {
        ScoreHistogram h = new ScoreHistogram(10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.observe(1.01, true));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> h.observe(-0.1, false));
        assertThrows(IllegalArgumentException.class, () -> h.observe(Double.NaN, false));
        assertThrows(IllegalArgumentException.class, () -> new ScoreHistogram(0));
        assertThrows(IllegalArgumentException.class, () -> h.add(new ScoreHistogram(11)));
        assertThrows(IllegalArgumentException.class,
                () -> ScoreHistogram.of(new long[] {1, -1}, new long[] {0, 0}));
    }

    @Test
    void subtractingMoreThanWasAddedThrowsAndLeavesStateUnchanged() {
        ScoreHistogram window = new ScoreHistogram(10).observe(0.15, true).observe(0.95, false);
        ScoreHistogram before = window.copy();
        ScoreHistogram bogus = new ScoreHistogram(10).observe(0.95, false).observe(0.55, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> window.subtract(bogus));
        assertTrue(e.getMessage().contains("positives in bin 5"), e.getMessage());
        assertEquals(before, window);
        assertNotEquals(before, bogus);
    }
}
