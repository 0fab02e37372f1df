package io.flywheel.deploy.service;

import io.flywheel.deploy.ChampionSync;
import io.flywheel.deploy.DeploymentRow;
import io.flywheel.deploy.PreconditionFailedException;
import io.flywheel.deploy.config.DeployConfig;
import io.flywheel.deploy.registry.Registry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves the registry's champion alias to production's primary version, through the registry's API
 * with If-Match: it reads the alias and its ETag, and moves it only if nobody moved it since (a 412
 * means: read again and retry). Pending moves are written with the production change itself, so a
 * registry outage delays the move and never loses it. It always moves the alias to what production
 * serves now, so moves that piled up collapse into one.
 */
@ApplicationScoped
public class ChampionRelay {

    private static final int BATCH = 50;

    private final Registry registry;
    private final boolean enabled;
    private final String alias;
    private final String production;
    private final int maxAttempts;

    public ChampionRelay(Registry registry, DeployConfig config) {
        this.registry = registry;
        this.enabled = config.champion().enabled();
        this.alias = config.champion().alias();
        this.production = config.productionEnvironment();
        this.maxAttempts = config.champion().maxAttempts();
    }

    @Scheduled(every = "${deploy.champion.sync-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return sync().onFailure().invoke(e -> Log.warnf("champion alias sync failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Sends what is pending; returns how many models' aliases were brought in line. */
    public Uni<Integer> sync() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("select * from champion_sync where done_at is null order by id limit "
                        + BATCH + " for update skip locked", ChampionSync.class).getResultList())
                .chain(pending -> {
                    Map<String, List<ChampionSync>> byModel = new LinkedHashMap<>();
                    pending.forEach(p -> byModel.computeIfAbsent(p.model, m -> new java.util.ArrayList<>()).add(p));
                    return Multi.createFrom().iterable(byModel.entrySet())
                            .onItem().transformToUniAndConcatenate(e -> syncModel(e.getKey(), e.getValue()))
                            .collect().asList()
                            .map(done -> (int) done.stream().filter(Boolean::booleanValue).count());
                }));
    }

    private Uni<Boolean> syncModel(String model, List<ChampionSync> rows) {
        ChampionSync latest = rows.getLast();
        Instant now = Times.now();
        return Panache.getSession()
                .chain(session -> session.find(DeploymentRow.class, new DeploymentRow.Key(model, production)))
                .chain(row -> {
                    if (row == null || row.primaryVersion == null) {
                        return Uni.createFrom().item(false);
                    }
                    int target = row.primaryVersion;
                    String reason = "production serves version " + target + " (" + latest.reason + ", by " + latest.actor + ")";
                    return move(model, target, reason).onFailure(PreconditionFailedException.class).retry().atMost(2);
                })
                .invoke(moved -> rows.forEach(r -> {
                    r.doneAt = now;
                    r.attempts++;
                }))
                .replaceWith(true)
                .onFailure().recoverWithItem(e -> {
                    for (ChampionSync r : rows) {
                        r.attempts++;
                        r.lastError = e.getMessage();
                        if (r.attempts >= maxAttempts) {
                            r.doneAt = now;
                        }
                    }
                    Log.warnf("champion alias of %s not moved yet (attempt %d): %s", model, latest.attempts, e.getMessage());
                    return false;
                });
    }

    /** Reads the alias with its ETag and moves it if it points elsewhere; a 412 fails the Uni for a retry. */
    private Uni<Boolean> move(String model, int version, String reason) {
        return registry.alias(model, alias).chain(current -> {
            if (current.isPresent() && current.get().version() == version) {
                return Uni.createFrom().item(false);
            }
            String ifMatch = current.map(a -> a.etag()).orElse(null);
            return registry.moveAlias(model, alias, version, ifMatch, "deploy", reason)
                    .invoke(moved -> Log.infof("champion alias of %s now at version %d", model, version))
                    .replaceWith(true);
        });
    }
}
