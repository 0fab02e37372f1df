package io.flywheel.monitor.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogLossSumTest {

    @Test
    void matchesNumpyReference() {
        LogLossSum l = LogLossSum.of(ReferenceData.SCORES, ReferenceData.LABELS);
        // quality_reference.py: -(y log(clip p) + (1-y) log(1 - clip p)), clip to [1e-15, 1 - 1e-15]
        assertEquals(40, l.count());
        assertEquals(55.31199971122007, l.sum(), 1e-12);
        assertEquals(1.3827999927805017, l.mean(), 1e-12);
    }

    @Test
    void clipsConfidentPredictions() {
        assertEquals(-Math.log(1e-15), LogLossSum.loss(0.0, true), 1e-12); // 34.538776394910684
        assertEquals(-Math.log(1e-15), LogLossSum.loss(1.0, false), 1e-12);
        assertEquals(-Math.log(1 - 1e-15), LogLossSum.loss(1.0, true), 1e-30);
        assertEquals(Math.log(2), LogLossSum.loss(0.5, false), 1e-15);
    }

    @Test
    void addThenSubtractRoundTrips() {
        double[] p = ReferenceData.SCORES;
        boolean[] y = ReferenceData.LABELS;
        LogLossSum a = LogLossSum.EMPTY;
        LogLossSum b = LogLossSum.EMPTY;
        for (int i = 0; i < p.length; i++) {
            if (i % 3 == 0) a = a.observe(p[i], y[i]); else b = b.observe(p[i], y[i]);
        }
        LogLossSum window = a.add(b);
        assertEquals(LogLossSum.of(p, y).sum(), window.sum(), 1e-12);
        LogLossSum onlyB = window.subtract(a);
        assertEquals(b.count(), onlyB.count());
        assertEquals(b.sum(), onlyB.sum(), 1e-12);
        assertEquals(LogLossSum.EMPTY, onlyB.subtract(b));
        assertTrue(Double.isNaN(LogLossSum.EMPTY.mean()));
    }

    @Test
    void badInputThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogLossSum.EMPTY.observe(1.5, true));
        assertTrue(e.getMessage().contains("probability"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogLossSum.EMPTY.observe(Double.NaN, true));
        assertThrows(IllegalArgumentException.class, () -> LogLossSum.EMPTY.observe(-1e-9, false));
        LogLossSum one = LogLossSum.EMPTY.observe(0.3, true);
        LogLossSum two = one.observe(0.3, true);
        assertThrows(IllegalArgumentException.class, () -> one.subtract(two));
        // right count, but a sum that was never added
        assertThrows(IllegalArgumentException.class,
                () -> two.subtract(new LogLossSum(10.0, 1)));
    }
}
