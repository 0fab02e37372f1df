package io.flywheel.registry.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flywheel.registry.DatasetVersion;
import io.flywheel.registry.DatasetVersionRef;
import io.flywheel.registry.ModelVersion;
import io.flywheel.registry.service.VersionService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A version's lineage as a graph: nodes (model versions, dataset versions, code commits, retrain
 * jobs) and edges from a version to what it came from. {@code upstream} covers the version and its
 * ancestors through parent versions; {@code derived} lists every version built on it, directly or not.
 */
public record LineageView(String model, int version, Graph upstream, List<Derived> derived) {

    public record Graph(List<Node> nodes, List<Edge> edges) {
    }

    /**
     * One thing in the graph. {@code id} is unique in the graph; the other fields depend on the kind:
     * model_version (model, version, status), dataset_version (dataset, dataset_version, format,
     * rows, registered), code_commit (repository, commit), retrain_job (retrain_job).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(String id, String kind, String model, Integer version, String status, String dataset,
                       String datasetVersion, String format, Long rows, Boolean registered, String repository,
                       String commit, String retrainJob) {
    }

    /** {@code from} came from {@code to}: trained_on, built_from, produced_by or derived_from. */
    public record Edge(String from, String to, String relation) {
    }

    public record Derived(String model, int version, int parentVersion, String status) {
    }

    static LineageView of(VersionService.LineageFacts facts) {
        ModelVersion self = facts.selfAndAncestors().getFirst();
        Map<String, Node> nodes = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        for (ModelVersion v : facts.selfAndAncestors()) {
            String id = versionId(v.model, v.version);
            nodes.put(id, new Node(id, "model_version", v.model, v.version, v.status, null, null, null, null, null, null, null, null));
            for (DatasetVersionRef ref : v.datasetVersions()) {
                String datasetId = "dataset_version:" + ref.dataset() + "@" + ref.id();
                DatasetVersion found = facts.datasets().get(ref);
                nodes.putIfAbsent(datasetId, new Node(datasetId, "dataset_version", null, null, null, ref.dataset(), ref.id(),
                        found == null ? null : found.format, found == null ? null : found.rowCount, found != null,
                        null, null, null));
                edges.add(new Edge(id, datasetId, "trained_on"));
            }
            if (v.codeCommit != null) {
                String codeId = "code_commit:" + v.codeRepository + "@" + v.codeCommit;
                nodes.putIfAbsent(codeId, new Node(codeId, "code_commit", null, null, null, null, null, null, null, null,
                        v.codeRepository, v.codeCommit, null));
                edges.add(new Edge(id, codeId, "built_from"));
            }
            if (v.retrainJob != null) {
                String jobId = "retrain_job:" + v.retrainJob;
                nodes.putIfAbsent(jobId, new Node(jobId, "retrain_job", null, null, null, null, null, null, null, null,
                        null, null, v.retrainJob));
                edges.add(new Edge(id, jobId, "produced_by"));
            }
            if (v.parentVersion != null) {
                edges.add(new Edge(id, versionId(v.model, v.parentVersion), "derived_from"));
            }
        }
        List<Derived> derived = facts.derived().stream()
                .map(v -> new Derived(v.model, v.version, v.parentVersion, v.status))
                .toList();
        return new LineageView(self.model, self.version, new Graph(List.copyOf(nodes.values()), edges), derived);
    }

    private static String versionId(String model, int version) {
        return "model_version:" + model + "/" + version;
    }
}
