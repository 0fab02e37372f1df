package io.flywheel.monitor.ingest;

import io.flywheel.monitor.window.Outcome;
import io.flywheel.monitor.window.WindowSpec;
import io.quarkus.logging.Log;

/** Folds a joined prediction and label into a state's quality window (labels that don't fit the output are logged and skipped). */
final class Quality {

    private Quality() {
    }

    static StreamState fold(StreamState s, String modelKey, WindowSpec spec, JoinStore.Joined joined) {
        String key = modelKey.substring(0, modelKey.lastIndexOf('@') + 1) + joined.version();
        try {
            return s.labelled(key, spec, joined.predictionTimeMillis(), Outcome.of(joined.output(), joined.label()));
        } catch (IllegalArgumentException | ClassCastException e) {
            Log.warnf("label of %s not used for quality: %s", key, e.getMessage());
            return s;
        }
    }
}
