package io.flywheel.monitor.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.monitor.NotFoundException;
import io.flywheel.monitor.UnprocessableException;
import io.flywheel.monitor.RegistryUnavailableException;
import io.flywheel.monitor.drift.FeatureKind;
import io.flywheel.monitor.window.MonitorPolicy;
import io.flywheel.monitor.window.ReferenceFitter;
import io.flywheel.monitor.window.ReferenceProfile;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fits a model version's reference: from its training dataset in the registry (when the version
 * goes live, or on request), or from a sample posted directly. Fitting runs on the worker pool.
 */
@ApplicationScoped
public class ReferenceService {

    private static final Set<String> NOT_FEATURES = Set.of("request_id", "id", "time", "timestamp");

    private final Catalog catalog;
    private final RegistryClient registry;
    private final ObjectMapper json;

    public ReferenceService(Catalog catalog, @RestClient RegistryClient registry, ObjectMapper json) {
        this.catalog = catalog;
        this.registry = registry;
        this.json = json;
    }

    /** Fits from a posted sample (CSV or JSON Lines); the prediction column, if named, is the output's reference. */
    public Uni<ReferenceProfile> fitFromSample(String model, int version, String body, String format,
                                               String predictionColumn, Integer bins) {
        int b = bins != null ? bins : catalog.policy(model).binsOrDefault();
        return Uni.createFrom().item(() -> ReferenceFitter.fit(model, version, DatasetReader.read(body, format, json),
                        Map.of(), predictionColumn, NOT_FEATURES, b, System.currentTimeMillis(), "upload"))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .call(catalog::saveProfile)
                .invoke(p -> Log.infof("reference of %s v%d fitted from an upload: %d features, %d rows", model, version,
                        p.features().size(), p.rows()));
    }

    /** Fits from the version's training dataset in the registry (the first dataset of its lineage). */
    public Uni<ReferenceProfile> fitFromRegistry(String model, int version) {
        return registry.version(model, version)
                .onFailure(WebApplicationException.class).transform(e -> upstream(e, "model " + model + " version " + version))
                .onFailure(e -> !(e instanceof RuntimeException re && re.getClass().getPackageName().startsWith("io.flywheel")))
                .transform(e -> new RegistryUnavailableException("the registry did not answer: " + e.getMessage()))
                .chain(v -> {
                    JsonNode datasets = v.path("lineage").path("dataset_versions");
                    if (!datasets.isArray() || datasets.isEmpty()) {
                        throw new UnprocessableException("version " + version + " of " + model
                                + " names no training dataset in its lineage: post a reference sample instead");
                    }
                    String dataset = datasets.get(0).path("dataset").asText();
                    String id = datasets.get(0).path("id").asText();
                    Map<String, FeatureKind> declared = new LinkedHashMap<>();
                    for (JsonNode input : v.path("signature").path("inputs")) {
                        declared.put(input.path("name").asText(), kindOf(input.path("type").asText()));
                    }
                    String output = v.path("signature").path("output").path("name").asText(null);
                    return registry.content(dataset, id)
                            .onFailure(WebApplicationException.class).transform(e -> upstream(e, "dataset " + dataset + "@" + id))
                            .map(response -> {
                                String type = String.valueOf(response.getMediaType());
                                String body = response.readEntity(String.class);
                                return fitDataset(model, version, body, type.contains("ndjson") || type.contains("jsonl")
                                        ? "jsonl" : "csv", declared, output, "registry:" + dataset + "@" + id);
                            })
                            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
                })
                .call(catalog::saveProfile)
                .invoke(p -> Log.infof("reference of %s v%d fitted from %s: %d features, %d rows", model, version, p.source(),
                        p.features().size(), p.rows()));
    }

    private ReferenceProfile fitDataset(String model, int version, String body, String format,
                                        Map<String, FeatureKind> declared, String output, String source) {
        Map<String, List<Object>> columns = DatasetReader.read(body, format, json);
        Map<String, List<Object>> kept = new LinkedHashMap<>();
        columns.forEach((name, values) -> {
            if (declared.isEmpty() || declared.containsKey(name) || name.equals(output)) {
                kept.put(name, values);
            }
        });
        String prediction = output != null && columns.containsKey(output) ? output : null;
        MonitorPolicy policy = catalog.policy(model);
        return ReferenceFitter.fit(model, version, kept, new HashMap<>(declared), prediction, NOT_FEATURES,
                policy.binsOrDefault(), System.currentTimeMillis(), source);
    }

    private static FeatureKind kindOf(String type) {
        return "number".equals(type) || "integer".equals(type) ? FeatureKind.NUMERIC : FeatureKind.CATEGORICAL;
    }

    private static RuntimeException upstream(Throwable e, String what) {
        if (e instanceof WebApplicationException w && w.getResponse().getStatus() == Response.Status.NOT_FOUND.getStatusCode()) {
            return new NotFoundException("the registry has no " + what);
        }
        return new RegistryUnavailableException("the registry failed on " + what + ": " + e.getMessage());
    }
}
