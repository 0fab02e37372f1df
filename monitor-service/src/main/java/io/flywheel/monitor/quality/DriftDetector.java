package io.flywheel.monitor.quality;

/**
 * A concept-drift detector fed one value at a time (typically 0/1 errors or a loss).
 *
 * @param <S> an immutable snapshot holding configuration and state, from which the detector can
 *            be restored exactly (for persistence across restarts)
 */
public sealed interface DriftDetector<S extends Record> permits Ddm, PageHinkley, Adwin {

    /** Feeds one value; invalid values throw IllegalArgumentException and leave the state untouched. */
    DriftState update(double x);

    /** The state reported by the latest update (NONE before any). */
    DriftState state();

    /** Back to the freshly constructed state, keeping the configuration. */
    void reset();

    S snapshot();
}
