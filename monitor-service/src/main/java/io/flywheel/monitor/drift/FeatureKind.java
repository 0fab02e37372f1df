package io.flywheel.monitor.drift;

/** How a feature's values are compared. */
public enum FeatureKind {
    NUMERIC,
    CATEGORICAL
}
