package io.flywheel.gateway.llm;

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
 * Key pairs by public key, cached as API keys are ({@code auth.KeyLookup}): {@link #FRESH} without a
 * database round trip, revocation through this gateway at once (through another instance within
 * {@link #FRESH}), and a pair read in the last {@link #STALE} still counts while the database can't be
 * reached, so tracing goes on through a database outage. Bounded.
 */
@ApplicationScoped
public class LlmKeyLookup {

    static final Duration FRESH = Duration.ofSeconds(10);
    static final Duration STALE = Duration.ofMinutes(10);

    /** What verification needs of a pair; immutable, so it can sit in the cache. */
    public record StoredPair(String publicKey, String projectId, byte[] secretHash, Instant revokedAt) {
        static StoredPair of(LlmKeyPair row) {
            return new StoredPair(row.publicKey, row.projectId, row.secretHash, row.revokedAt);
        }
    }

    private record Entry(Optional<StoredPair> pair, Instant readAt) {
    }

    private final Cache<String, Entry> entries = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(STALE).build();

    public Uni<Optional<StoredPair>> find(String publicKey) {
        Entry known = entries.getIfPresent(publicKey);
        if (known != null && known.readAt().plus(FRESH).isAfter(Instant.now())) {
            return Uni.createFrom().item(known.pair());
        }
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.find(LlmKeyPair.class, publicKey)))
                .map(row -> {
                    Optional<StoredPair> pair = Optional.ofNullable(row).map(StoredPair::of);
                    entries.put(publicKey, new Entry(pair, Instant.now()));
                    return pair;
                })
                .onFailure(failure -> known != null && Unavailability.isDatabaseDown(failure)).recoverWithItem(failure -> {
                    Log.debugf("key pair %s from the cache while the database is unavailable: %s", publicKey, failure.getMessage());
                    return known.pair();
                });
    }

    public void forget(String publicKey) {
        entries.invalidate(publicKey);
    }
}
