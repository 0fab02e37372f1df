package io.flywheel.monitor.rest;

import io.flywheel.events.Names;
import io.flywheel.monitor.BadRequestException;
import io.flywheel.monitor.NotFoundException;
import io.flywheel.monitor.evaluation.ResultStore;
import io.flywheel.monitor.evaluation.WindowResult;
import io.flywheel.monitor.ingest.LiveWindows;
import io.flywheel.monitor.ingest.StreamCheckpoint;
import io.flywheel.monitor.ingest.StreamState;
import io.flywheel.monitor.reference.Catalog;
import io.flywheel.monitor.reference.ReferenceService;
import io.flywheel.monitor.window.CompiledProfile;
import io.flywheel.monitor.window.FeatureReference;
import io.flywheel.monitor.window.MonitorPolicy;
import io.flywheel.monitor.window.ReferenceProfile;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the monitor knows of a model: status, the drift and quality time series, policy, references. */
@Path("/api/v1/monitoring/{model}")
@Produces(MediaType.APPLICATION_JSON)
public class MonitoringResource {

    /** One version as the status shows it. */
    public record VersionStatus(int version, long predictions, ReferenceSummary reference, WindowResult latest,
                                List<String> activeAlerts) {
    }

    public record ModelStatus(String model, long predictions, Map<Integer, Long> predictionsByVersion,
                              List<VersionStatus> versions, Map<String, Long> unmatched) {
    }

    public record FeatureSummary(String name, String kind, int bins, long rows, List<String> categories) {
    }

    public record ReferenceSummary(String model, int version, String source, Instant fittedAt, long rows, int bins,
                                   List<FeatureSummary> features, FeatureSummary prediction) {
        static ReferenceSummary of(ReferenceProfile p) {
            return new ReferenceSummary(p.model(), p.version(), p.source(), Instant.ofEpochMilli(p.fittedAtMillis()), p.rows(),
                    p.bins(), p.features().stream().map(ReferenceSummary::feature).toList(),
                    p.prediction() == null ? null : feature(p.prediction()));
        }

        private static FeatureSummary feature(FeatureReference f) {
            return new FeatureSummary(f.name(), f.kind().name().toLowerCase(), f.bins(), f.rows(), f.categories());
        }
    }

    public record DriftSeries(String model, int version, Instant from, Instant to, List<WindowResult> windows) {
    }

    private final String consumerGroup;
    private final String predictionsTopic;
    private final Catalog catalog;
    private final ReferenceService references;
    private final ResultStore results;
    private final LiveWindows live;
    private final Pool db;

    public MonitoringResource(@ConfigProperty(name = "mp.messaging.incoming.predictions.group.id") String consumerGroup,
                              @ConfigProperty(name = "mp.messaging.incoming.predictions.topic") String predictionsTopic,
                              Catalog catalog, ReferenceService references, ResultStore results, LiveWindows live, Pool db) {
        this.consumerGroup = consumerGroup;
        this.predictionsTopic = predictionsTopic;
        this.catalog = catalog;
        this.references = references;
        this.results = results;
        this.live = live;
        this.db = db;
    }

    @GET
    @Path("status")
    @WithSession
    public Uni<ModelStatus> status(@PathParam("model") String model) {
        requireName(model);
        return Panache.getSession()
                .chain(session -> session.createQuery(
                                "from StreamCheckpoint t where t.id.consumerGroupId = :group and t.id.topic = :topic",
                                StreamCheckpoint.class)
                        .setParameter("group", consumerGroup)
                        .setParameter("topic", predictionsTopic)
                        .getResultList())
                .chain(stored -> results.latest(model).chain(latest -> results.activeAlerts(model)
                        .chain(alerts -> unmatched(model).map(unmatched -> summarise(model, stored, latest, alerts, unmatched)))));
    }

    private ModelStatus summarise(String model, List<StreamCheckpoint> stored, Map<Integer, WindowResult> latest,
                                  Map<Integer, List<String>> alerts, Map<String, Long> unmatched) {
        Map<Integer, StreamState> states = new HashMap<>();
        for (StreamCheckpoint c : stored) {
            states.put(c.getId().getPartition(), c.state());
        }
        states.putAll(live.byPartition(predictionsTopic)); // fresher than the last save
        Map<Integer, Long> byVersion = new TreeMap<>();
        String prefix = model + "@";
        for (StreamState s : states.values()) {
            s.counts().forEach((key, count) -> {
                if (key.startsWith(prefix)) {
                    byVersion.merge(Integer.parseInt(key.substring(prefix.length())), count, Long::sum);
                }
            });
        }
        for (String key : catalog.versionKeys()) {
            if (key.startsWith(prefix)) {
                byVersion.putIfAbsent(Integer.parseInt(key.substring(prefix.length())), 0L);
            }
        }
        latest.keySet().forEach(v -> byVersion.putIfAbsent(v, 0L));
        List<VersionStatus> versions = new ArrayList<>();
        byVersion.forEach((v, n) -> versions.add(new VersionStatus(v, n,
                catalog.profile(model, v).map(CompiledProfile::profile).map(ReferenceSummary::of).orElse(null),
                latest.get(v), alerts.getOrDefault(v, List.of()))));
        long total = byVersion.values().stream().mapToLong(Long::longValue).sum();
        return new ModelStatus(model, total, byVersion, versions, unmatched);
    }

    private Uni<Map<String, Long>> unmatched(String model) {
        return db.preparedQuery("SELECT side, count FROM unmatched_count WHERE model = $1").execute(Tuple.of(model))
                .map(rows -> {
                    Map<String, Long> out = new TreeMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("side"), r.getLong("count"));
                    }
                    return out;
                });
    }

    @GET
    @Path("versions/{version}/drift")
    public Uni<DriftSeries> drift(@PathParam("model") String model, @PathParam("version") int version,
                                  @QueryParam("from") String from, @QueryParam("to") String to,
                                  @QueryParam("limit") @DefaultValue("1000") int limit) {
        requireName(model);
        Instant f = from == null ? Instant.EPOCH : instant("from", from);
        Instant t = to == null ? Instant.now().plusSeconds(86_400) : instant("to", to);
        if (t.isBefore(f)) {
            throw new BadRequestException("'to' (" + t + ") is before 'from' (" + f + ")");
        }
        if (limit < 1 || limit > 10_000) {
            throw new BadRequestException("limit must be in [1, 10000], was " + limit);
        }
        return results.between(model, version, f, t, limit).map(list -> new DriftSeries(model, version, f, t, list));
    }

    @GET
    @Path("policy")
    public Uni<MonitorPolicy> policy(@PathParam("model") String model) {
        requireName(model);
        return catalog.storedPolicy(model).map(p -> p.orElse(MonitorPolicy.defaults()));
    }

    @PUT
    @Path("policy")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<MonitorPolicy> putPolicy(@PathParam("model") String model, MonitorPolicy policy) {
        requireName(model);
        if (policy == null) {
            throw new BadRequestException("the body is empty: send a policy object ({} for the defaults)");
        }
        try {
            policy.validated();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return catalog.savePolicy(model, policy).replaceWith(policy);
    }

    @GET
    @Path("versions/{version}/reference")
    public ReferenceSummary reference(@PathParam("model") String model, @PathParam("version") int version) {
        return catalog.profile(model, version).map(p -> ReferenceSummary.of(p.profile()))
                .orElseThrow(() -> new NotFoundException("no reference fitted for " + model + " version " + version));
    }

    /** Fits the reference from a sample posted as CSV or JSON Lines. */
    @POST
    @Path("versions/{version}/reference")
    @Consumes({"text/csv", "application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN})
    public Uni<Response> upload(@PathParam("model") String model, @PathParam("version") int version,
                                @HeaderParam("Content-Type") String contentType,
                                @QueryParam("prediction_column") String predictionColumn,
                                @QueryParam("bins") Integer bins, String body) {
        requireName(model);
        requireVersion(version);
        if (bins != null && (bins < 2 || bins > 10_000)) {
            throw new BadRequestException("bins must be in [2, 10000], was " + bins);
        }
        String format = contentType != null && (contentType.contains("ndjson") || contentType.contains("jsonl")) ? "jsonl" : "csv";
        return references.fitFromSample(model, version, body, format, predictionColumn, bins)
                .onFailure(IllegalArgumentException.class).transform(e -> new BadRequestException(e.getMessage()))
                .map(p -> Response.status(201).entity(ReferenceSummary.of(p)).build());
    }

    /** Fits the reference from the version's training dataset in the registry. */
    @POST
    @Path("versions/{version}/reference/fit")
    public Uni<Response> fit(@PathParam("model") String model, @PathParam("version") int version) {
        requireName(model);
        requireVersion(version);
        return references.fitFromRegistry(model, version)
                .onFailure(IllegalArgumentException.class).transform(e -> new BadRequestException(
                        "the training dataset can't be fitted: " + e.getMessage()))
                .map(p -> Response.status(201).entity(ReferenceSummary.of(p)).build());
    }

    private static void requireName(String model) {
        if (model == null || !model.matches(Names.PATTERN)) {
            throw new BadRequestException("model name must match " + Names.PATTERN);
        }
    }

    private static void requireVersion(int version) {
        if (version < 1) {
            throw new BadRequestException("version must be 1 or more, was " + version);
        }
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("'" + name + "' is not an ISO-8601 instant (e.g. 2026-11-26T10:00:00Z): " + value);
        }
    }
}
