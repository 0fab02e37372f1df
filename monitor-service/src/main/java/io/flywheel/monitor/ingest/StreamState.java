package io.flywheel.monitor.ingest;

import io.flywheel.monitor.window.DriftWindow;
import io.flywheel.monitor.window.Outcome;
import io.flywheel.monitor.window.QualityWindow;
import io.flywheel.monitor.window.WindowSpec;

import java.util.HashMap;
import java.util.Map;

/**
 * What one partition has folded, keyed by {@code model@version}: events counted, the drift window
 * (when the version has a reference) and the quality window of joined labels. Immutable: every
 * change returns a new state that shares what did not change.
 */
public record StreamState(Map<String, Long> counts, Map<String, DriftWindow> windows,
                          Map<String, QualityWindow> quality) {

    public static final StreamState EMPTY = new StreamState(Map.of(), Map.of(), Map.of());

    public StreamState {
        counts = counts == null ? Map.of() : counts;
        windows = windows == null ? Map.of() : windows;
        quality = quality == null ? Map.of() : quality;
    }

    public static String key(String model, int version) {
        return model + "@" + version;
    }

    public StreamState counted(String key) {
        return counted(key, 1);
    }

    /** As {@link #counted(String)} {@code n} times. */
    public StreamState counted(String key, long n) {
        Map<String, Long> c = new HashMap<>(counts);
        c.merge(key, n, Long::sum);
        return new StreamState(c, windows, quality);
    }

    /** As {@link #folded(String, WindowSpec, int, long, int[])} for each event in order, in one step. */
    public StreamState folded(String key, WindowSpec spec, int width, long[] timesMillis, int[][] bins) {
        Map<String, DriftWindow> next = new HashMap<>(windows);
        next.put(key, current(key, spec, width).plusAll(timesMillis, bins));
        return new StreamState(counts, next, quality);
    }

    private DriftWindow current(String key, WindowSpec spec, int width) {
        DriftWindow w = windows.get(key);
        if (w == null || w.width() != width || !w.spec().equals(spec)) {
            w = DriftWindow.empty(spec, width); // first event, a refitted reference or a new window length
        }
        return w;
    }

    public StreamState folded(String key, WindowSpec spec, int width, long timeMillis, int[] bins) {
        Map<String, DriftWindow> next = new HashMap<>(windows);
        next.put(key, current(key, spec, width).plus(timeMillis, bins));
        return new StreamState(counts, next, quality);
    }

    public StreamState labelled(String key, WindowSpec spec, long timeMillis, Outcome outcome) {
        QualityWindow q = quality.get(key);
        if (q == null || !q.spec().equals(spec)) {
            q = QualityWindow.empty(spec);
        }
        Map<String, QualityWindow> next = new HashMap<>(quality);
        next.put(key, q.plus(timeMillis, outcome));
        return new StreamState(counts, windows, next);
    }
}
