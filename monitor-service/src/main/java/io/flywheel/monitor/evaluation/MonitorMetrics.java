package io.flywheel.monitor.evaluation;

import io.flywheel.monitor.config.MonitorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer gauges per model version (and per feature for drift scores). Tag values stay bounded:
 * at most {@code monitor.metrics.max-versions} versions and {@code max-features} features per
 * version get gauges; the rest is counted in {@code flywheel.monitor.metrics.dropped} (the REST
 * API still has everything).
 */
@ApplicationScoped
public class MonitorMetrics {

    private final MeterRegistry meters;
    private final int maxVersions;
    private final int maxFeatures;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Set<String> versions = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> featuresByVersion = new ConcurrentHashMap<>();
    private final Counter dropped;

    public MonitorMetrics(MeterRegistry meters, MonitorConfig config) {
        this.meters = meters;
        this.maxVersions = config.metrics().maxVersions();
        this.maxFeatures = config.metrics().maxFeatures();
        this.dropped = meters.counter("flywheel.monitor.metrics.dropped");
    }

    public void version(String model, int version, String name, double value) {
        String v = model + "@" + version;
        if (!admitVersion(v)) {
            return;
        }
        set(name, value, "model", model, "version", Integer.toString(version));
    }

    public void quality(String model, int version, String metric, double value) {
        String v = model + "@" + version;
        if (!admitVersion(v)) {
            return;
        }
        set("flywheel.monitor.quality", value, "model", model, "version", Integer.toString(version), "metric", metric);
    }

    public void feature(String model, int version, String feature, String test, double value) {
        String v = model + "@" + version;
        if (!admitVersion(v)) {
            return;
        }
        Set<String> features = featuresByVersion.computeIfAbsent(v, k -> ConcurrentHashMap.newKeySet());
        if (!features.contains(feature) && features.size() >= maxFeatures) {
            dropped.increment();
            return;
        }
        features.add(feature);
        set("flywheel.monitor.drift.score", value, "model", model, "version", Integer.toString(version),
                "feature", feature, "test", test);
    }

    private boolean admitVersion(String v) {
        if (versions.contains(v)) {
            return true;
        }
        if (versions.size() >= maxVersions) {
            dropped.increment();
            return false;
        }
        versions.add(v);
        return true;
    }

    private void set(String name, double value, String... tags) {
        String id = name + String.join(",", tags);
        AtomicLong holder = gauges.computeIfAbsent(id, k -> {
            AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
            Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get())).tags(tags).register(meters);
            return bits;
        });
        holder.set(Double.doubleToLongBits(value));
    }
}
