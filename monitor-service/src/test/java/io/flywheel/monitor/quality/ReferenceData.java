package io.flywheel.monitor.quality;

/**
 * Fixed data sets printed by src/test/python/quality_reference.py (numpy default_rng(20240611),
 * values rounded to 2 decimals so the literals are exactly what numpy used). The expected metric
 * values in the tests are that script's numpy computations from the textbook definitions.
 */
final class ReferenceData {

    private ReferenceData() {
    }

    // binary: labels and positive-class scores; items 0..2 are forced to p = 0, 1, 0 to exercise the log-loss clip
    static final boolean[] LABELS = {true, true, false, false, true, true, false, false, false, false, true, false,
        false, false, true, false, false, false, false, true, false, false, true, false, false, true, false, true,
        false, true, true, true, false, true, true, false, false, false, true, false};
    static final double[] SCORES = {0.00, 1.00, 0.00, 0.29, 0.27, 0.48, 0.32, 0.32, 0.22, 0.35, 0.55, 0.58, 0.19,
        0.36, 0.55, 0.52, 0.16, 0.53, 0.11, 0.38, 0.24, 0.37, 0.35, 0.25, 0.35, 0.64, 0.53, 0.81, 0.42, 0.83, 0.84,
        0.43, 0.79, 0.64, 0.53, 0.47, 0.25, 0.48, 0.41, 0.50};

    // multiclass, 5 label slots: truth uses 0..2, class 3 is predicted once but never true, class 4 never occurs
    static final int[] TRUE_CLASS = {2, 1, 2, 0, 2, 0, 0, 1, 2, 1, 2, 1, 0, 0, 1, 0, 0, 0, 2, 1, 1, 0, 0, 0, 0, 2,
        1, 1, 1, 1};
    static final int[] PRED_CLASS = {2, 1, 2, 0, 2, 3, 0, 1, 2, 2, 2, 1, 0, 0, 1, 0, 0, 2, 0, 1, 1, 0, 0, 0, 0, 2,
        1, 0, 1, 1};

    // regression
    static final double[] Y_TRUE = {14.84, 8.90, 8.46, 9.20, 10.11, 12.10, 7.90, 7.53, 10.11, 11.02, 12.63, 8.57,
        12.90, 6.94, 14.16, 6.72, 9.74, 10.59, 13.04, 14.38, 10.15, 15.69, 7.54, 10.98, 9.29, 11.72, 7.14, 6.71,
        13.85, 13.19};
    static final double[] Y_PRED = {15.68, 7.85, 9.35, 9.87, 11.96, 12.45, 5.48, 7.21, 10.07, 12.21, 12.26, 6.98,
        14.63, 7.52, 12.51, 5.72, 11.12, 8.57, 14.49, 14.41, 9.92, 16.99, 6.90, 11.06, 11.74, 10.45, 9.87, 4.18,
        12.57, 14.54};
}
