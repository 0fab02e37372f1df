package io.flywheel.monitor.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {

    /**
     * river's PageHinkley doctest (river/drift/page_hinkley.py): random.Random(12345), 1000 values from
     * {0,1} then 1000 from {4..7}: "Change detected at index 1006, input value: 5". Default mode is "both".
     */
    @Test
    void reproducesRiverDoctest() {
        double[] stream = Streams.river("PH_ADWIN_DOC");
        assertEquals(PageHinkley.Mode.BOTH, PageHinkley.Config.DEFAULTS.mode());
        assertEquals(List.of(1006), Streams.indicesOf(new PageHinkley(), stream, DriftState.DRIFT));
        assertEquals(5.0, stream[1006]);
        // an upward change, so "up" alone fires at the same index
        assertEquals(List.of(1006), Streams.indicesOf(
                new PageHinkley(PageHinkley.Config.errorStream()), stream, DriftState.DRIFT));
    }

    /**
     * Hand-computed with min_instances=5, delta=0, lambda=3, alpha=1, mode up, stream 0 x 5 then 1s.
     * The zeros keep mean=0 and up=0, so min(up)=0. The k-th value (1-based, k>5) is 1 with running
     * mean (k-5)/k, so dev = 5/k and up = 5 (1/6 + ... + 1/k):
     * k=9 (index 8): 5 x 0.545635 = 2.728 <= 3;  k=10 (index 9): 5 x 0.645635 = 3.228 > 3 -> DRIFT.
     */
    @Test
    void handComputedSequenceDriftsAtIndex9() {
        PageHinkley ph = new PageHinkley(new PageHinkley.Config(5, 0.0, 3.0, 1.0, PageHinkley.Mode.UP));
        for (int i = 0; i < 5; i++) {
            assertEquals(DriftState.NONE, ph.update(0), "index " + i);
        }
        for (int i = 5; i < 9; i++) {
            assertEquals(DriftState.NONE, ph.update(1), "index " + i);
        }
        assertEquals(DriftState.DRIFT, ph.update(1));
        assertEquals(5 * (1.0 / 6 + 1.0 / 7 + 1.0 / 8 + 1.0 / 9 + 1.0 / 10), ph.snapshot().sumIncrease(), 1e-12);

        // the mirror image drifts at the same index in mode "down", and not at all in mode "up"
        double[] mirror = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(List.of(9), Streams.indicesOf(
                new PageHinkley(new PageHinkley.Config(5, 0.0, 3.0, 1.0, PageHinkley.Mode.DOWN)), mirror, DriftState.DRIFT));
        assertEquals(List.of(), Streams.indicesOf(
                new PageHinkley(new PageHinkley.Config(5, 0.0, 3.0, 1.0, PageHinkley.Mode.UP)), mirror, DriftState.DRIFT));
    }

    @Test
    void nothingBeforeMinInstances() {
        PageHinkley ph = new PageHinkley(new PageHinkley.Config(30, 0.0, 0.5, 1.0, PageHinkley.Mode.UP));
        for (int i = 0; i < 29; i++) {
            assertEquals(DriftState.NONE, ph.update(i < 10 ? 0 : 100), "index " + i);
        }
        assertEquals(DriftState.DRIFT, ph.update(100));
    }

    /** Fixed seed 2: no drift on 2,000 Bernoulli(0.1) errors, then drift within the documented 200 values (this seed: 132). */
    @Test
    void stationaryThenJump() {
        double[] stream = Streams.errorRateJump(2, 2000, 2000);
        List<Integer> drifts = Streams.indicesOf(new PageHinkley(), stream, DriftState.DRIFT);
        assertEquals(2132, drifts.get(0));
        assertTrue(drifts.get(0) - 2000 <= DriftDetectorBehaviourTest.PH_MAX_DELAY);
    }

    @Test
    void snapshotRestoresExactly() {
        double[] stream = Streams.river("PH_ADWIN_DOC");
        PageHinkley original = new PageHinkley();
        for (int i = 0; i < 1003; i++) {
            original.update(stream[i]);
        }
        PageHinkley restored = PageHinkley.restore(original.snapshot());
        assertEquals(original.snapshot(), restored.snapshot());
        for (int i = 1003; i < stream.length; i++) {
            assertEquals(original.update(stream[i]), restored.update(stream[i]), "index " + i);
        }
    }

    @Test
    void badInputThrowsAndLeavesStateUnchanged() {
        PageHinkley ph = new PageHinkley();
        ph.update(0.3);
        PageHinkley.Snapshot before = ph.snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ph.update(Double.NaN));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ph.update(Double.NEGATIVE_INFINITY));
        assertEquals(before, ph.snapshot());
        assertThrows(IllegalArgumentException.class,
                () -> new PageHinkley.Config(30, 0.005, 50, 0.9999, null));
    }

    @Test
    void resetAfterDriftHappensOnNextUpdate() {
        PageHinkley ph = new PageHinkley(new PageHinkley.Config(5, 0.0, 3.0, 1.0, PageHinkley.Mode.UP));
        for (double x : new double[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}) {
            ph.update(x);
        }
        assertEquals(DriftState.DRIFT, ph.state());
        ph.update(7);
        assertEquals(1.0, ph.snapshot().n());
        assertEquals(7.0, ph.snapshot().mean());
    }
}
