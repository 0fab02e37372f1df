package io.flywheel.monitor.quality;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

/** Test inputs for the drift detectors. */
final class Streams {

    private Streams() {
    }

    /**
     * The inputs of river's own doctests and regression tests (one digit per value), produced by
     * src/test/python/quality_reference.py with Python's random.Random / numpy's legacy RandomState:
     * DDM_DOC (DDM doctest), PH_ADWIN_DOC (PageHinkley and ADWIN doctests), ADWIN_NP and ADWIN_FOUR
     * (ADWIN regression tests).
     */
    static double[] river(String key) {
        Properties p = new Properties();
        try (InputStream in = Streams.class.getResourceAsStream("river_streams.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String digits = p.getProperty(key);
        double[] out = new double[digits.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = digits.charAt(i) - '0';
        }
        return out;
    }

    /**
     * 0/1 errors: {@code before} values with error rate 0.1, then {@code after} values with rate 0.5.
     * java.util.Random's algorithm is fixed by its specification, so a seed gives the same stream on every JDK.
     */
    static double[] errorRateJump(long seed, int before, int after) {
        Random r = new Random(seed);
        double[] out = new double[before + after];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.nextDouble() < (i < before ? 0.1 : 0.5) ? 1 : 0;
        }
        return out;
    }

    /** Indices at which the detector reports the given state. */
    static List<Integer> indicesOf(DriftDetector<?> detector, double[] stream, DriftState wanted) {
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            if (detector.update(stream[i]) == wanted) {
                hits.add(i);
            }
        }
        return hits;
    }
}
