package io.flywheel.monitor.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Documents, over 500 seeded streams, how the river-default detectors behave on 0/1 errors that are
 * Bernoulli(0.1) for 2,000 values and then Bernoulli(0.5). The bounds below are the worst delays
 * (values after the jump until DRIFT) observed over seeds 0..499 with java.util.Random, rounded up;
 * the single-seed tests in each detector's test class assert against them.
 */
class DriftDetectorBehaviourTest {

    static final int DDM_MAX_DELAY = 650;   // observed max 612, median 74
    static final int PH_MAX_DELAY = 200;    // observed max 188, median 114
    static final int ADWIN_MAX_DELAY = 128; // observed max 111, median 47 (checks run every 32 values)

    private record Outcome(int falseAlarms, int maxDelay) {
    }

    private static Outcome run(Supplier<DriftDetector<?>> factory) {
        int falseAlarms = 0;
        int maxDelay = -1;
        for (long seed = 0; seed < 500; seed++) {
            double[] stream = Streams.errorRateJump(seed, 2000, 2000);
            List<Integer> drifts = Streams.indicesOf(factory.get(), stream, DriftState.DRIFT);
            if (!drifts.isEmpty() && drifts.get(0) < 2000) {
                // a restart shortly before the jump can make DDM learn the new rate as its baseline,
                // so only streams without a false alarm are required to flag the jump
                falseAlarms++;
            } else {
                assertTrue(!drifts.isEmpty(), "seed " + seed + ": jump missed");
                maxDelay = Math.max(maxDelay, drifts.get(0) - 2000);
            }
        }
        return new Outcome(falseAlarms, maxDelay);
    }

    @Test
    void pageHinkleyAndAdwinNeverFalseAlarmAndStayWithinTheirBounds() {
        Outcome ph = run(PageHinkley::new);
        assertEquals(0, ph.falseAlarms());
        assertEquals(188, ph.maxDelay());
        assertTrue(ph.maxDelay() <= PH_MAX_DELAY);
        Outcome adwin = run(Adwin::new);
        assertEquals(0, adwin.falseAlarms());
        assertEquals(111, adwin.maxDelay());
        assertTrue(adwin.maxDelay() <= ADWIN_MAX_DELAY);
    }

    /**
     * DDM with river's defaults raises a false DRIFT on 216 of these 500 stationary streams, mostly within
     * ~200 values of its (re)start, when p_min + s_min was fixed from only 31+ values. That is DDM
     * (and river), not a porting artefact; the single-seed test picks seed 2, which has none. A longer warm start
     * helps (warm_start=200: 72 of 500).
     */
    @Test
    void ddmFalseAlarmRateIsDocumentedNotHidden() {
        Outcome ddm = run(Ddm::new);
        assertEquals(216, ddm.falseAlarms());
        assertEquals(612, ddm.maxDelay());
        assertTrue(ddm.maxDelay() <= DDM_MAX_DELAY);
        assertEquals(72, run(() -> new Ddm(new Ddm.Config(200, 2.0, 3.0))).falseAlarms());
    }
}
