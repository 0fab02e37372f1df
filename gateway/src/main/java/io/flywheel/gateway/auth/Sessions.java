package io.flywheel.gateway.auth;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * Dashboard sessions: a random 256-bit id in the cookie, its SHA-256 in the database with the key it
 * was opened with. A session is good until it expires, it is closed, or its key is revoked or expires.
 */
@ApplicationScoped
public class Sessions {

    public static final Duration LIFETIME = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A session found by its id: the key it stands for, and when it ends. */
    public record Found(String keyId, Instant expiresAt) {
    }

    /** Opens a session for a key; the returned id goes into the cookie and nowhere else. */
    public Uni<String> open(String keyId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        DashboardSession row = new DashboardSession();
        row.idHash = KeyFormat.sha256(id);
        row.keyId = keyId;
        row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        row.expiresAt = row.createdAt.plus(LIFETIME);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.persist(row))).replaceWith(id);
    }

    public Uni<Optional<Found>> find(String id) {
        if (id == null || id.length() != 43) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.find(DashboardSession.class, KeyFormat.sha256(id))))
                .map(row -> Optional.ofNullable(row).filter(r -> Instant.now().isBefore(r.expiresAt))
                        .map(r -> new Found(r.keyId, r.expiresAt)));
    }

    public Uni<Void> close(String id) {
        if (id == null || id.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createMutationQuery(
                        "delete from DashboardSession where idHash = :hash").setParameter("hash", KeyFormat.sha256(id)).executeUpdate()))
                .replaceWithVoid();
    }

    /** Expired sessions are of no use to anyone: drop them now and then. */
    @Scheduled(every = "10m", delayed = "1m")
    Uni<Void> dropExpired() {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createMutationQuery(
                "delete from DashboardSession where expiresAt < :now").setParameter("now", Instant.now()).executeUpdate()))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }
}
