package io.flywheel.monitor.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionCountsTest {

    /** Predictions at threshold 0.5 over {@link ReferenceData#SCORES}. */
    private static boolean[] predicted() {
        boolean[] p = new boolean[ReferenceData.SCORES.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = ReferenceData.SCORES[i] >= 0.5;
        }
        return p;
    }

    @Test
    void matchesNumpyReference() {
        ConfusionCounts c = ConfusionCounts.of(ReferenceData.LABELS, predicted());
        // quality_reference.py: tp fp tn fn 9 6 18 7
        assertEquals(new ConfusionCounts(9, 6, 18, 7), c);
        assertEquals(0.675, c.accuracy(), 1e-12);
        assertEquals(0.6, c.precision(), 1e-12);
        assertEquals(0.5625, c.recall(), 1e-12);
        assertEquals(0.5806451612903225, c.f1(), 1e-12);
    }

    @Test
    void observingOneByOneEqualsBatch() {
        boolean[] pred = predicted();
        ConfusionCounts c = ConfusionCounts.EMPTY;
        for (int i = 0; i < pred.length; i++) {
            c = c.observe(ReferenceData.LABELS[i], pred[i]);
        }
        assertEquals(ConfusionCounts.of(ReferenceData.LABELS, pred), c);
    }

    @Test
    void addThenSubtractRoundTrips() {
        boolean[] pred = predicted();
        ConfusionCounts paneA = ConfusionCounts.EMPTY;
        ConfusionCounts paneB = ConfusionCounts.EMPTY;
        for (int i = 0; i < pred.length; i++) {
            if (i < 17) paneA = paneA.observe(ReferenceData.LABELS[i], pred[i]);
            else paneB = paneB.observe(ReferenceData.LABELS[i], pred[i]);
        }
        ConfusionCounts window = paneA.add(paneB);
        assertEquals(ConfusionCounts.of(ReferenceData.LABELS, pred), window);
        assertEquals(paneB, window.subtract(paneA));
        assertEquals(ConfusionCounts.EMPTY, window.subtract(paneA).subtract(paneB));
    }

    @Test
    void zeroDivisionIsZeroLikeSklearn() {
        ConfusionCounts empty = ConfusionCounts.EMPTY;
        assertEquals(0.0, empty.accuracy());
        assertEquals(0.0, empty.precision());
        assertEquals(0.0, empty.recall());
        assertEquals(0.0, empty.f1());
        // no positive predictions: precision 0/0 -> 0; recall 0/3 = 0; F1 0
        ConfusionCounts noPositivePredictions = new ConfusionCounts(0, 0, 5, 3);
        assertEquals(0.0, noPositivePredictions.precision());
        assertEquals(0.0, noPositivePredictions.recall());
        assertEquals(0.0, noPositivePredictions.f1());
        assertEquals(5.0 / 8.0, noPositivePredictions.accuracy(), 1e-12);
        // all negatives predicted right: recall 0/0 -> 0
        assertEquals(0.0, new ConfusionCounts(0, 0, 4, 0).recall());
    }

    @Test
    void subtractingMoreThanWasAddedThrows() {
        ConfusionCounts window = new ConfusionCounts(1, 0, 2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> window.subtract(new ConfusionCounts(2, 0, 0, 0)));
        assertTrue(e.getMessage().contains("tp must not be negative"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConfusionCounts(0, -1, 0, 0));
    }

    @Test
    void mismatchedArraysThrow() {
        assertThrows(IllegalArgumentException.class,
                () -> ConfusionCounts.of(new boolean[2], new boolean[3]));
    }
}
