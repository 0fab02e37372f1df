package io.flywheel.monitor.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MulticlassConfusionTest {

    private static MulticlassConfusion matrix(int from, int to) {
        MulticlassConfusion m = new MulticlassConfusion(5);
        for (int i = from; i < to; i++) {
            m.observe(ReferenceData.TRUE_CLASS[i], ReferenceData.PRED_CLASS[i]);
        }
        return m;
    }

    @Test
    void matchesNumpyReference() {
        MulticlassConfusion m = matrix(0, 30);
        // quality_reference.py: labels = union(y_true, y_pred) = {0,1,2,3}; class 3 has precision 0 (0 of 1)
        // and recall 0/0 -> 0; class 4 never occurs and is left out, as sklearn does without `labels`
        assertEquals(30, m.total());
        assertEquals(0.8333333333333334, m.accuracy(), 1e-12);
        assertEquals(0.6458333333333334, m.macroPrecision(), 1e-12);
        assertEquals(0.6271645021645021, m.macroRecall(), 1e-12);
        assertEquals(0.6333333333333333, m.macroF1(), 1e-12);
    }

    @Test
    void addThenSubtractRoundTrips() {
        MulticlassConfusion a = matrix(0, 11);
        MulticlassConfusion b = matrix(11, 30);
        MulticlassConfusion window = a.copy().add(b);
        assertEquals(matrix(0, 30), window);
        assertEquals(b, window.copy().subtract(a));
        assertEquals(new MulticlassConfusion(5), window.subtract(a).subtract(b));
    }

    @Test
    void emptyAndZeroDivision() {
        MulticlassConfusion m = new MulticlassConfusion(3);
        assertEquals(0.0, m.accuracy());
        assertEquals(0.0, m.macroPrecision());
        assertEquals(0.0, m.macroF1());
        // a single correct prediction of class 1: only label 1 is present, so every macro metric is 1
        m.observe(1, 1);
        assertEquals(1.0, m.macroPrecision());
        assertEquals(1.0, m.macroRecall());
        assertEquals(1.0, m.macroF1());
    }

    @Test
    void badInputThrows() {
        MulticlassConfusion m = new MulticlassConfusion(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.observe(3, 0));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.observe(0, -1));
        assertThrows(IllegalArgumentException.class, () -> m.add(new MulticlassConfusion(4)));
        MulticlassConfusion other = new MulticlassConfusion(3).observe(2, 1);
        m.observe(0, 0);
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> m.subtract(other));
        assertTrue(neg.getMessage().contains("true=2, predicted=1"), neg.getMessage());
        assertEquals(1, m.count(0, 0)); // unchanged
    }
}
