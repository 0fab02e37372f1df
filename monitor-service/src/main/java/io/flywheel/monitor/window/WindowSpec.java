package io.flywheel.monitor.window;

/**
 * A sliding window of {@code panes} panes of {@code paneMillis} each, on event time. Pane k holds
 * the events with time in [k·paneMillis, (k+1)·paneMillis); the window ending with pane L is
 * panes L - panes + 1 .. L.
 */
public record WindowSpec(long paneMillis, int panes) {

    public static final WindowSpec DEFAULT = new WindowSpec(300_000, 12);

    public WindowSpec {
        if (paneMillis < 1) {
            throw new IllegalArgumentException("pane length must be at least 1 ms, was " + paneMillis);
        }
        if (panes < 1 || panes > 1440) {
            throw new IllegalArgumentException("a window has 1 to 1440 panes, was " + panes);
        }
    }

    public long paneIndex(long timeMillis) {
        return Math.floorDiv(timeMillis, paneMillis);
    }

    public long windowMillis() {
        return paneMillis * panes;
    }
}
