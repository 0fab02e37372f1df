package io.flywheel.gateway.auth;

import io.flywheel.gateway.config.GatewayConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;

/**
 * The first admin key of a fresh install comes from configuration ({@code gateway.auth.bootstrap-key},
 * env FLYWHEEL_ADMIN_KEY, in the API key format). At start it is stored like any other key (its hash,
 * never the key), once: from then on it is an ordinary admin key that can be revoked, and a revoked
 * one stays revoked whatever the environment still says. So it can be rotated (create a new admin key,
 * revoke this one: {@code ./flywheel rotate-admin-key}) and dropped from the environment.
 */
@ApplicationScoped
public class BootstrapKey {

    static final String NAME = "bootstrap-admin";

    void store(@Observes StartupEvent start, GatewayConfig config, KeyLookup lookup) {
        var configured = config.auth().bootstrapKey().filter(k -> !k.isBlank());
        if (configured.isEmpty()) {
            return;
        }
        var parsed = KeyFormat.parse(configured.get().strip());
        if (parsed.isEmpty()) {
            Log.warn("gateway.auth.bootstrap-key is not an API key (fwk_<12 hex>_<43 characters>); it is ignored");
            return;
        }
        KeyFormat.ParsedKey key = parsed.get();
        try {
            boolean stored = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                    .chain(s -> s.find(ApiKey.class, key.id()).chain(existing -> {
                        if (existing != null) {
                            return Uni.createFrom().item(false); // stored before: revoked or not, it stays as it is
                        }
                        return s.createQuery("select count(k) from ApiKey k where k.name = :name", Long.class)
                                .setParameter("name", NAME).getSingleResult()
                                .chain(taken -> {
                                    ApiKey row = new ApiKey();
                                    row.id = key.id();
                                    row.name = taken == 0 ? NAME : NAME + "-" + key.id();
                                    row.secretHash = KeyFormat.sha256(key.secret());
                                    row.roles = ApiKeys.formatRoles(EnumSet.of(Role.ADMIN));
                                    row.createdBy = "configuration";
                                    row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                                    return s.persist(row).replaceWith(true);
                                });
                    }))).call(ignored -> lookup.forget(key.id())));
            if (stored) {
                Log.infof("stored the bootstrap admin key %s; rotate it with ./flywheel rotate-admin-key", key.id());
            }
        } catch (Throwable e) {
            throw new IllegalStateException("could not store the bootstrap admin key", e);
        }
    }
}
