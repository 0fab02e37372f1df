package io.flywheel.monitor.quality;

/** What a drift detector concluded after its latest update. */
public enum DriftState {
    NONE,
    /** Only DDM signals this: the error rate is rising but not yet significantly. */
    WARNING,
    /** Change detected. The detector restarts from scratch on its next update (as river does). */
    DRIFT
}
