package io.flywheel.monitor.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.monitor.window.CompiledProfile;
import io.flywheel.monitor.window.MonitorPolicy;
import io.flywheel.monitor.window.ReferenceProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * References and policies, stored in PostgreSQL and kept in memory for the consumers, which look
 * them up for every record. Re-read on a schedule so replicas see each other's writes.
 */
@ApplicationScoped
@Startup
public class Catalog {

    private final Pool db;
    private final ObjectMapper json;
    private final Map<String, CompiledProfile> profiles = new ConcurrentHashMap<>();
    private final Map<String, MonitorPolicy> policies = new ConcurrentHashMap<>();
    private final Set<String> modelsWithProfiles = ConcurrentHashMap.newKeySet();
    /** Models found unknown in the database, until when: a burst of their records costs one query. */
    private final Map<String, Long> unknownUntil = new ConcurrentHashMap<>();
    private static final long UNKNOWN_TTL_MILLIS = 2000;

    public Catalog(Pool db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    private static String key(String model, int version) {
        return model + "@" + version;
    }

    public Optional<CompiledProfile> profile(String model, int version) {
        return Optional.ofNullable(profiles.get(key(model, version)));
    }

    public MonitorPolicy policy(String model) {
        return policies.getOrDefault(model, MonitorPolicy.defaults());
    }

    /** A model is known once it has a reference for some version or a policy. */
    public boolean isKnown(String model) {
        return policies.containsKey(model) || modelsWithProfiles.contains(model);
    }

    /** As {@link #isKnown}, reading the database first when memory says no (another replica may have fitted it). */
    public Uni<Boolean> isKnownFresh(String model) {
        if (isKnown(model)) {
            return Uni.createFrom().item(true);
        }
        Long until = unknownUntil.get(model);
        if (until != null && until > System.currentTimeMillis()) {
            return Uni.createFrom().item(false);
        }
        return load(model).map(ignored -> {
            boolean known = isKnown(model);
            if (!known) {
                if (unknownUntil.size() > 10_000) {
                    unknownUntil.clear();
                }
                unknownUntil.put(model, System.currentTimeMillis() + UNKNOWN_TTL_MILLIS);
            }
            return known;
        });
    }

    public Set<String> versionKeys() {
        return profiles.keySet();
    }

    public Uni<Void> saveProfile(ReferenceProfile profile) {
        return db.preparedQuery("""
                        INSERT INTO reference_profile (model, version, profile, source, fitted_at) VALUES ($1, $2, $3::jsonb, $4, $5)
                        ON CONFLICT (model, version) DO UPDATE SET profile = EXCLUDED.profile, source = EXCLUDED.source,
                          fitted_at = EXCLUDED.fitted_at""")
                .execute(Tuple.of(profile.model(), profile.version(), write(profile), profile.source(),
                        Instant.ofEpochMilli(profile.fittedAtMillis()).atOffset(ZoneOffset.UTC)))
                .invoke(() -> {
                    profiles.put(key(profile.model(), profile.version()), CompiledProfile.of(profile));
                    modelsWithProfiles.add(profile.model());
                    unknownUntil.remove(profile.model());
                })
                .replaceWithVoid();
    }

    public Uni<Void> savePolicy(String model, MonitorPolicy policy) {
        return db.preparedQuery("""
                        INSERT INTO monitor_policy (model, policy, updated_at) VALUES ($1, $2::jsonb, now())
                        ON CONFLICT (model) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now()""")
                .execute(Tuple.of(model, write(policy)))
                .invoke(() -> {
                    policies.put(model, policy);
                    unknownUntil.remove(model);
                })
                .replaceWithVoid();
    }

    public Uni<Optional<MonitorPolicy>> storedPolicy(String model) {
        return db.preparedQuery("SELECT policy FROM monitor_policy WHERE model = $1").execute(Tuple.of(model))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(read(it.next().getValue("policy").toString(), MonitorPolicy.class))
                            : Optional.<MonitorPolicy>empty();
                });
    }

    @Scheduled(every = "${monitor.catalog-refresh}", delay = 0, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return load(null).onFailure().invoke(e -> Log.warnf("catalog refresh failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Loads one model's (or, with null, every) reference and policy. */
    public Uni<Void> load(String model) {
        String where = model == null ? "" : " WHERE model = $1";
        Tuple args = model == null ? Tuple.tuple() : Tuple.of(model);
        return db.preparedQuery("SELECT profile FROM reference_profile" + where).execute(args)
                .invoke(rows -> {
                    for (Row row : rows) {
                        ReferenceProfile p = read(row.getValue("profile").toString(), ReferenceProfile.class);
                        modelsWithProfiles.add(p.model());
                        profiles.compute(key(p.model(), p.version()), (k, old) ->
                                old != null && old.profile().fittedAtMillis() >= p.fittedAtMillis() ? old : CompiledProfile.of(p));
                    }
                })
                .chain(() -> db.preparedQuery("SELECT model, policy FROM monitor_policy" + where).execute(args))
                .invoke(rows -> {
                    for (Row row : rows) {
                        policies.put(row.getString("model"), read(row.getValue("policy").toString(), MonitorPolicy.class));
                    }
                })
                .replaceWithVoid();
    }

    private Object write(Object value) {
        try {
            return io.vertx.core.json.Json.decodeValue(json.writeValueAsString(value)); // a JSON value for the jsonb column
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read stored " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
