package io.flywheel.deploy.serving;

import io.flywheel.deploy.DeploymentRow;
import io.flywheel.deploy.config.DeployConfig;
import io.flywheel.deploy.rollout.Deployment;
import io.flywheel.deploy.rollout.Live;
import io.flywheel.deploy.rollout.Strategy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing table of the serving runtime: for each model and configured environment, the live versions
 * loaded and ready to answer. The request path only reads it. It changes when this replica changes a
 * deployment (refreshed before the change is answered) and, for changes made elsewhere (another
 * replica, a restart), when the periodic comparison with the database finds a newer revision. A
 * version whose artifact can't be loaded leaves the previous route in place and the reason on record.
 */
@ApplicationScoped
public class ServingTable {

    /** What the database says about one model and environment, and whether the route matches it. */
    private record Known(long revision, String problem) {
    }

    private final List<String> environments;
    private final ModelCache models;
    private final SampleCounter samples;
    private final ServingMetrics metrics;
    private final Map<String, Map<String, Route>> routes = new ConcurrentHashMap<>();
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    /** Held while a route is swapped in and while unserved versions are retired. */
    private final Object retirement = new Object();

    public ServingTable(ModelCache models, SampleCounter samples, ServingMetrics metrics, DeployConfig config) {
        this.environments = List.copyOf(config.environments());
        this.models = models;
        this.samples = samples;
        this.metrics = metrics;
    }

    /** The route, or null when nothing is loaded for it. Lock-free; allocates nothing. */
    public Route route(String model, String environment) {
        Map<String, Route> byEnvironment = routes.get(model);
        return byEnvironment == null ? null : byEnvironment.get(environment);
    }

    /** Why the stored deployment is not (fully) being served yet, or null when the route is current. */
    public String problem(String model, String environment) {
        Known k = known.get(key(model, environment));
        if (k == null) {
            return null;
        }
        Route route = route(model, environment);
        if (k.problem() != null) {
            return k.problem();
        }
        if (k.revision() > 0 && (route == null || route.revision() < k.revision())) {
            return "revision " + k.revision() + " of the deployment is still loading";
        }
        return null;
    }

    /** Whether the table was read from the database at least once (readiness: don't take traffic before). */
    public boolean loaded() {
        return loaded;
    }

    /** Whether a deployment is stored for the model in the environment (loaded or not). */
    public boolean hasDeployment(String model, String environment) {
        Known k = known.get(key(model, environment));
        return k != null && k.revision() > 0;
    }

    /**
     * Reloads one model in one environment from the database; call after changing it. Never fails:
     * a version that does not load is on record (see {@link #problem}) and retried by the schedule.
     */
    public Uni<Void> refresh(String model, String environment) {
        return Panache.withSession(() -> Panache.getSession()
                        .chain(session -> session.find(DeploymentRow.class, new DeploymentRow.Key(model, environment))))
                .chain(row -> row == null ? Uni.createFrom().voidItem() : install(row.toDomain()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    @Scheduled(every = "${deploy.serving.refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refreshOnSchedule() {
        return refreshAll().onFailure().invoke(e -> Log.warnf("routing table not refreshed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Installs every deployment whose stored revision differs from the route's (or that failed to load). */
    public Uni<Void> refreshAll() {
        return Panache.withSession(() -> Panache.getSession()
                        .chain(session -> session.createQuery("from DeploymentRow where environment in (:environments)",
                                DeploymentRow.class).setParameter("environments", environments).getResultList()))
                .chain(rows -> {
                    Set<String> liveModels = new HashSet<>();
                    for (DeploymentRow row : rows) {
                        if (row.primaryVersion != null) {
                            liveModels.add(ModelCache.key(row.model, row.primaryVersion));
                        }
                        if (row.candidateVersion != null) {
                            liveModels.add(ModelCache.key(row.model, row.candidateVersion));
                        }
                    }
                    List<Deployment> stale = rows.stream().map(DeploymentRow::toDomain).filter(this::isStale).toList();
                    return Multi.createFrom().iterable(stale)
                            .onItem().transformToUniAndConcatenate(d -> install(d).onFailure().recoverWithNull())
                            .collect().last()
                            .invoke(() -> {
                                retire(liveModels);
                                loaded = true;
                            });
                })
                .replaceWithVoid();
    }

    private boolean isStale(Deployment d) {
        Known k = known.get(key(d.model(), d.environment()));
        if (k == null || k.revision() != d.revision() || k.problem() != null) {
            return true;
        }
        Route route = route(d.model(), d.environment());
        return !d.isEmpty() && (route == null || route.revision() != d.revision());
    }

    /** Loads the live versions of {@code d} and swaps its route in; never installs an older revision over a newer one. */
    public Uni<Void> install(Deployment d) {
        String key = key(d.model(), d.environment());
        known.merge(key, new Known(d.revision(), null), (old, mine) -> old.revision() > mine.revision() ? old : mine);
        if (d.isEmpty()) {
            Map<String, Route> byEnvironment = routes.get(d.model());
            if (byEnvironment != null) {
                byEnvironment.remove(d.environment());
            }
            return Uni.createFrom().voidItem();
        }
        Deployment.Candidate candidate = d.candidate();
        Uni<ServedModel> primary = d.primary() == null ? Uni.createFrom().nullItem() : models.get(d.model(), d.primary());
        Uni<ServedModel> other = candidate == null ? Uni.createFrom().nullItem() : models.get(d.model(), candidate.version());
        return Uni.combine().all().unis(primary, other).asTuple()
                .invoke(loaded -> {
                    ServedVersion p = loaded.getItem1() == null ? null : served(loaded.getItem1(), d.environment(), Live.PRIMARY);
                    ServedVersion c = null;
                    ServedVersion s = null;
                    int percent = 0;
                    if (candidate != null && candidate.strategy() == Strategy.CANARY) {
                        c = served(loaded.getItem2(), d.environment(), Live.CANARY);
                        percent = candidate.percent();
                    } else if (candidate != null) {
                        s = served(loaded.getItem2(), d.environment(), Live.SHADOW);
                    }
                    Route route = new Route(d.model(), d.environment(), d.revision(), p, c, percent, s);
                    synchronized (retirement) {
                        for (ServedVersion v : route.versions()) {
                            if (v.model().isRetired()) {
                                // retired by a pass that read the deployments before this change: load it anew
                                throw new IllegalStateException("version " + v.version() + " was retired while loading; loading it again");
                            }
                        }
                        routes.computeIfAbsent(d.model(), m -> new ConcurrentHashMap<>())
                                .merge(d.environment(), route, (old, mine) -> old.revision() > mine.revision() ? old : mine);
                    }
                    known.computeIfPresent(key, (k, old) -> old.revision() == d.revision() ? new Known(d.revision(), null) : old);
                    Log.debugf("serving %s in %s: revision %d, %s", d.model(), d.environment(), d.revision(), d.live());
                })
                .onFailure().invoke(e -> {
                    String problem = "version(s) " + d.live().stream().map(l -> String.valueOf(l.version())).toList()
                            + " can't be loaded: " + e.getMessage();
                    known.computeIfPresent(key, (k, old) -> old.revision() == d.revision() ? new Known(d.revision(), problem) : old);
                    Log.warnf("%s in %s: %s", d.model(), d.environment(), problem);
                })
                .replaceWithVoid();
    }

    /**
     * Closes the loaded versions that nothing serves any more: neither the deployments just read
     * ({@code live}) nor any route in the table (which may be newer than that read). Under the same lock
     * as swapping a route in, so a version is never closed between being routed to and being installed.
     */
    private void retire(Set<String> live) {
        synchronized (retirement) {
            Set<String> keep = new HashSet<>(live);
            for (Map<String, Route> byEnvironment : routes.values()) {
                for (Route route : byEnvironment.values()) {
                    for (ServedVersion v : route.versions()) {
                        keep.add(ModelCache.key(v.model().model(), v.version()));
                    }
                }
            }
            models.retainOnly(keep);
        }
    }

    private ServedVersion served(ServedModel model, String environment, String role) {
        return new ServedVersion(model, environment, role, metrics.of(model.model(), environment, model.version(), role),
                samples.counter(model.model(), environment, model.version()));
    }

    private static String key(String model, String environment) {
        return model + '\u0000' + environment;
    }
}
