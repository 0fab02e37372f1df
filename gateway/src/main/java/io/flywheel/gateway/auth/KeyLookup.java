package io.flywheel.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flywheel.problem.Unavailability;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Key rows by id, kept for {@link #FRESH} so a request costs no database round trip; revoking through
 * this gateway drops the entry at once (another gateway instance sees it within {@link #FRESH}).
 * While the gateway's database can't be reached, a key read in the last {@link #STALE} still counts,
 * so an outage of the database does not lock every caller out of what works without it (serving,
 * reads of other services); a key never seen before is a 503 then. The cache is bounded.
 */
@ApplicationScoped
public class KeyLookup {

    static final Duration FRESH = Duration.ofSeconds(10);
    static final Duration STALE = Duration.ofMinutes(10);

    private record Entry(Optional<StoredKey> key, Instant readAt) {
    }

    private final Cache<String, Entry> entries = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(STALE).build();

    public Uni<Optional<StoredKey>> find(String id) {
        Entry known = entries.getIfPresent(id);
        if (known != null && known.readAt().plus(FRESH).isAfter(Instant.now())) {
            return Uni.createFrom().item(known.key());
        }
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.find(ApiKey.class, id)))
                .map(row -> {
                    Optional<StoredKey> key = Optional.ofNullable(row).map(StoredKey::of);
                    entries.put(id, new Entry(key, Instant.now()));
                    return key;
                })
                .onFailure(failure -> known != null && Unavailability.isDatabaseDown(failure)).recoverWithItem(failure -> {
                    Log.debugf("key %s from the cache while the database is unavailable: %s", id, failure.getMessage());
                    return known.key();
                });
    }

    public Uni<Void> forget(String id) {
        entries.invalidate(id);
        return Uni.createFrom().voidItem();
    }
}
