package io.flywheel.monitor.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdwinTest {

    private static final Adwin.Config RIVER_0_21 = Adwin.Config.DEFAULTS.withScan(Adwin.CutScan.RIVER_0_21);

    /** river's ADWIN doctest (0.21 and later): random.Random(12345) stream -> "Change detected at index 1023". */
    @Test
    void reproducesRiverDoctest() {
        double[] stream = Streams.river("PH_ADWIN_DOC");
        assertEquals(List.of(1023), Streams.indicesOf(new Adwin(), stream, DriftState.DRIFT));
        assertEquals(List.of(1023), Streams.indicesOf(new Adwin(RIVER_0_21), stream, DriftState.DRIFT));
    }

    /**
     * river's test_adwin_regression.py (current river): numpy seed 12345, randint(2) x 1000 then randint(8)
     * x 1000 -> [1023]; random.Random(42), four alternating segments -> [1023, 2015, 3007].
     */
    @Test
    void reproducesRiverRegressionTests() {
        assertEquals(List.of(1023), Streams.indicesOf(new Adwin(), Streams.river("ADWIN_NP"), DriftState.DRIFT));
        assertEquals(List.of(1023, 2015, 3007),
                Streams.indicesOf(new Adwin(), Streams.river("ADWIN_FOUR"), DriftState.DRIFT));
    }

    /**
     * Before 0.22 river's test_drift_detectors.py expected [1055] for the numpy stream; the 0.21 scan
     * (which skips the cut after each row's newest bucket) reproduces it.
     */
    @Test
    void river021ScanReproducesTheOldExpectation() {
        assertEquals(List.of(1055), Streams.indicesOf(new Adwin(RIVER_0_21), Streams.river("ADWIN_NP"), DriftState.DRIFT));
    }

    @Test
    void windowStatisticsMatchRiver() {
        // river test_adwin_regression: after 1..5 -> total 15, estimation 3, width 5; variance is the
        // sum of squared deviations (10), not divided by width
        Adwin a = new Adwin();
        for (double v = 1; v <= 5; v++) {
            a.update(v);
        }
        assertEquals(5, a.width());
        assertEquals(3.0, a.estimation());
        assertEquals(10.0, a.variance(), 1e-12);

        // test_sequence_exact_statistics: clock huge, values i % 7 for i < 200; compression keeps the totals
        Adwin noChecks = new Adwin(new Adwin.Config(0.002, 1_000_000, 5, 5, 10, Adwin.CutScan.ALL_BUCKETS));
        double sum = 0;
        for (int i = 0; i < 200; i++) {
            noChecks.update(i % 7);
            sum += i % 7;
        }
        double mean = sum / 200;
        double ss = 0;
        for (int i = 0; i < 200; i++) {
            ss += (i % 7 - mean) * (i % 7 - mean);
        }
        assertEquals(200, noChecks.width());
        assertEquals(mean, noChecks.estimation(), 1e-12);
        assertEquals(ss, noChecks.variance(), ss * 1e-6);
        assertEquals(0.0, new Adwin().estimation());
    }

    @Test
    void gracePeriodSuppressesEarlyChecks() {
        // river test_grace_period: grace_period=100, clock=1, 50 zeros then 50 x 1000 -> no detection
        Adwin a = new Adwin(new Adwin.Config(0.002, 1, 5, 5, 100, Adwin.CutScan.ALL_BUCKETS));
        double[] stream = new double[100];
        java.util.Arrays.fill(stream, 50, 100, 1000.0);
        assertEquals(List.of(), Streams.indicesOf(a, stream, DriftState.DRIFT));
    }

    @Test
    void nextUpdateAfterDriftStartsAFreshWindow() {
        Adwin a = new Adwin(new Adwin.Config(0.002, 1, 5, 5, 10, Adwin.CutScan.ALL_BUCKETS));
        for (int i = 0; i < 500; i++) {
            a.update(0.0);
        }
        int i = 0;
        while (a.update(100.0) != DriftState.DRIFT) {
            assertTrue(++i < 500, "no drift detected");
        }
        assertEquals(1, a.detections());
        a.update(50.0);
        assertEquals(1, a.width()); // river test_reset_on_drift_detected
        assertEquals(50.0, a.estimation());
    }

    /** Fixed seed 2: no drift on 2,000 Bernoulli(0.1) errors, then drift within the documented 128 values (this seed: 47). */
    @Test
    void stationaryThenJump() {
        double[] stream = Streams.errorRateJump(2, 2000, 2000);
        List<Integer> drifts = Streams.indicesOf(new Adwin(), stream, DriftState.DRIFT);
        assertEquals(2047, drifts.get(0));
        assertTrue(drifts.get(0) - 2000 <= DriftDetectorBehaviourTest.ADWIN_MAX_DELAY);
    }

    @Test
    void snapshotRestoresExactly() {
        double[] stream = Streams.river("ADWIN_FOUR");
        Adwin original = new Adwin();
        for (int i = 0; i < 1500; i++) {
            original.update(stream[i]);
        }
        Adwin.Snapshot snap = original.snapshot();
        Adwin restored = Adwin.restore(snap);
        assertEquals(original.width(), restored.width());
        assertEquals(original.variance(), restored.variance());
        assertTrue(snap.rows().size() > 3, "expected a compressed window");
        for (int i = 1500; i < stream.length; i++) {
            assertEquals(original.update(stream[i]), restored.update(stream[i]), "index " + i);
        }
        assertEquals(original.estimation(), restored.estimation());
    }

    @Test
    void badInputThrowsAndLeavesStateUnchanged() {
        Adwin a = new Adwin();
        a.update(1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.update(Double.NaN));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.update(Double.POSITIVE_INFINITY));
        assertEquals(1, a.width());
        assertEquals(1.0, a.estimation());
        assertThrows(IllegalArgumentException.class, () -> new Adwin.Config(0.0, 32, 5, 5, 10, Adwin.CutScan.ALL_BUCKETS));
        assertThrows(IllegalArgumentException.class, () -> new Adwin.Config(0.002, 0, 5, 5, 10, Adwin.CutScan.ALL_BUCKETS));
    }
}
