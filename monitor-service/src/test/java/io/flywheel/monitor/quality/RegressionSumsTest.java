package io.flywheel.monitor.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegressionSumsTest {

    @Test
    void matchesNumpyReference() {
        RegressionSums r = RegressionSums.of(ReferenceData.Y_TRUE, ReferenceData.Y_PRED);
        // quality_reference.py, e = y - yhat: mean|e|, sqrt(mean e^2), mean(|e| / max(|y|, eps)),
        // 1 - sum e^2 / sum (y - mean y)^2
        assertEquals(30, r.count());
        assertEquals(1.1760000000000004, r.mae(), 1e-12);
        assertEquals(1.4007688365084845, r.rmse(), 1e-12);
        assertEquals(0.12309279255420501, r.mape(), 1e-12);
        assertEquals(0.7135666165904276, r.r2(), 1e-12);
    }

    @Test
    void mapeFloorsZeroTargetsAtMachineEpsilon() {
        RegressionSums r = RegressionSums.of(new double[] {0.0, 2.0}, new double[] {0.5, 1.0});
        // quality_reference.py: (0.5 / 2.220446049250313e-16 + 0.5) / 2
        assertEquals(1125899906842624.2, r.mape(), 1.0);
        assertEquals(2.220446049250313e-16, RegressionSums.MAPE_EPS);
    }

    @Test
    void constantTargetFollowsSklearnForceFinite() {
        // sklearn r2_score: SST == 0 -> 1.0 if SSE == 0 else 0.0
        assertEquals(1.0, RegressionSums.of(new double[] {3.1, 3.1, 3.1}, new double[] {3.1, 3.1, 3.1}).r2());
        assertEquals(0.0, RegressionSums.of(new double[] {3.1, 3.1, 3.1}, new double[] {3.0, 3.1, 3.1}).r2());
        // sklearn: "R^2 score is not well-defined with less than two samples" -> nan
        assertTrue(Double.isNaN(RegressionSums.of(new double[] {7.0}, new double[] {6.0}).r2()));
    }

    @Test
    void emptyIsNaN() {
        RegressionSums e = RegressionSums.EMPTY;
        assertTrue(Double.isNaN(e.mae()));
        assertTrue(Double.isNaN(e.rmse()));
        assertTrue(Double.isNaN(e.mape()));
        assertTrue(Double.isNaN(e.r2()));
    }

    @Test
    void addThenSubtractRoundTrips() {
        double[] y = ReferenceData.Y_TRUE;
        double[] h = ReferenceData.Y_PRED;
        RegressionSums a = RegressionSums.EMPTY;
        RegressionSums b = RegressionSums.EMPTY;
        for (int i = 0; i < y.length; i++) {
            if (i < 12) a = a.observe(y[i], h[i]); else b = b.observe(y[i], h[i]);
        }
        RegressionSums window = a.add(b);
        RegressionSums direct = RegressionSums.of(y, h);
        assertEquals(direct.count(), window.count());
        assertEquals(direct.r2(), window.r2(), 1e-12);
        assertEquals(direct.mape(), window.mape(), 1e-12);
        RegressionSums onlyB = window.subtract(a);
        assertEquals(b.count(), onlyB.count());
        assertEquals(b.mae(), onlyB.mae(), 1e-12);
        assertEquals(b.rmse(), onlyB.rmse(), 1e-12);
        assertEquals(b.r2(), onlyB.r2(), 1e-9);
        assertEquals(RegressionSums.EMPTY, onlyB.subtract(b));
    }

    @Test
    void badInputThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegressionSums.EMPTY.observe(Double.NaN, 1.0));
        assertTrue(e.getMessage().contains("yTrue"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RegressionSums.EMPTY.observe(1.0, Double.POSITIVE_INFINITY));
        RegressionSums one = RegressionSums.EMPTY.observe(1.0, 2.0);
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> one.subtract(one.observe(3.0, 3.0)));
        assertTrue(neg.getMessage().contains("count must not be negative"), neg.getMessage());
        // same count, but error sums that were never added
        RegressionSums two = one.observe(1.0, 1.0);
        assertThrows(IllegalArgumentException.class,
                () -> two.subtract(RegressionSums.EMPTY.observe(1.0, 9.0)));
        assertThrows(IllegalArgumentException.class, () -> RegressionSums.of(new double[1], new double[2]));
    }
}
