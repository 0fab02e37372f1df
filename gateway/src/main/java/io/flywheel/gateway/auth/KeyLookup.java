package io.flywheel.gateway.auth;

import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheResult;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Key rows by id, cached for a few seconds (gateway.auth.key-cache-ttl) so a request costs no
 * database round trip; revoking through this gateway drops the entry at once.
 */
@ApplicationScoped
public class KeyLookup {

    @CacheResult(cacheName = "api-keys")
    public Uni<Optional<StoredKey>> find(String id) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.find(ApiKey.class, id)))
                .map(row -> Optional.ofNullable(row).map(StoredKey::of));
    }

    @CacheInvalidate(cacheName = "api-keys")
    public Uni<Void> forget(String id) {
        return Uni.createFrom().voidItem();
    }
}
