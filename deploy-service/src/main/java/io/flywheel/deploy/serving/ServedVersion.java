package io.flywheel.deploy.serving;

import java.util.concurrent.atomic.LongAdder;

/**
 * A version as one environment serves it: the loaded model, its role there (primary, canary,
 * shadow), its meters and its served-prediction counter. Built when the routing table changes, so
 * the request path looks nothing up.
 */
public record ServedVersion(ServedModel model, String environment, String role, ServingMetrics.VersionMeters meters,
                            LongAdder samples) {

    public int version() {
        return model.version();
    }

    public String versionText() {
        return String.valueOf(model.version());
    }
}
