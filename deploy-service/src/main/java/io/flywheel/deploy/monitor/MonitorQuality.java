package io.flywheel.deploy.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Quality per version on the monitor's latest window (joined labels), for the canary judge. */
@ApplicationScoped
public class MonitorQuality {

    /** One version's quality metrics and the labelled predictions behind them; absent before any label. */
    public record VersionQuality(Map<String, Double> metrics, long labelled, String windowStart, String windowEnd) {
        public static final VersionQuality NONE = new VersionQuality(Map.of(), 0, null, null);
    }

    private final MonitorApi monitor;

    public MonitorQuality(@RestClient MonitorApi monitor) {
        this.monitor = monitor;
    }

    /** Quality by version; empty when the monitor can't be asked (the judge then waits). */
    public Uni<Map<Integer, VersionQuality>> byVersion(String model) {
        return monitor.status(model).ifNoItem().after(Duration.ofSeconds(3)).fail()
                .map(MonitorQuality::parse)
                .onFailure().recoverWithItem(e -> {
                    Log.debugf("monitor status of %s unavailable for the canary judge: %s", model, e.getMessage());
                    return Map.of();
                });
    }

    static Map<Integer, VersionQuality> parse(JsonNode status) {
        Map<Integer, VersionQuality> out = new HashMap<>();
        for (JsonNode v : status.path("versions")) {
            JsonNode latest = v.path("latest");
            if (!v.path("version").canConvertToInt() || !latest.isObject()) {
                continue;
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            latest.path("quality").properties().forEach(e -> {
                if (e.getValue().isNumber()) {
                    metrics.put(e.getKey(), e.getValue().asDouble());
                }
            });
            out.put(v.path("version").asInt(), new VersionQuality(metrics, latest.path("labelled").asLong(),
                    latest.path("window_start").asText(null), latest.path("window_end").asText(null)));
        }
        return out;
    }
}
