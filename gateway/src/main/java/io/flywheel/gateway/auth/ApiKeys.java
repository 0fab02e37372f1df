package io.flywheel.gateway.auth;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Creating, listing and revoking API keys. */
@ApplicationScoped
public class ApiKeys {

    /** A new key and its secret, which exists only in this answer. */
    public record Created(ApiKey row, String key) {
    }

    public static class KeyNotFoundException extends RuntimeException {
        public KeyNotFoundException(String id) {
            super("API key '" + id + "' does not exist", null, false, false);
        }
    }

    public static class KeyNameTakenException extends RuntimeException {
        public KeyNameTakenException(String name) {
            super("an API key named '" + name + "' already exists; pick another name", null, false, false);
        }
    }

    private final KeyLookup lookup;

    public ApiKeys(KeyLookup lookup) {
        this.lookup = lookup;
    }

    @WithTransaction
    public Uni<Created> create(String name, Set<Role> roles, Instant expiresAt, String createdBy) {
        return Panache.getSession()
                .chain(s -> s.createQuery("select count(k) from ApiKey k where k.name = :name", Long.class)
                        .setParameter("name", name).getSingleResult()
                        .chain(taken -> {
                            if (taken > 0) {
                                return Uni.createFrom().failure(new KeyNameTakenException(name));
                            }
                            KeyFormat.NewKey fresh = KeyFormat.generate();
                            ApiKey row = new ApiKey();
                            row.id = fresh.id();
                            row.name = name;
                            row.secretHash = fresh.secretHash();
                            row.roles = formatRoles(roles);
                            row.createdBy = createdBy;
                            row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                            row.expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
                            return s.persist(row).replaceWith(new Created(row, fresh.key()));
                        }));
    }

    @WithSession
    public Uni<List<ApiKey>> list() {
        return Panache.getSession().chain(s -> s.createQuery("from ApiKey k order by k.createdAt", ApiKey.class).getResultList());
    }

    @WithTransaction
    public Uni<ApiKey> revoke(String id) {
        return Panache.getSession().chain(s -> s.find(ApiKey.class, id))
                .onItem().ifNull().failWith(() -> new KeyNotFoundException(id))
                .invoke(row -> {
                    if (row.revokedAt == null) {
                        row.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    }
                })
                .call(row -> lookup.forget(id));
    }

    static String formatRoles(Set<Role> roles) {
        return roles.stream().map(Role::id).sorted().collect(Collectors.joining(","));
    }

    static Set<Role> parseRoles(String roles) {
        Set<Role> parsed = EnumSet.noneOf(Role.class);
        Arrays.stream(roles.split(",")).filter(r -> !r.isBlank()).map(Role::of).forEach(parsed::add);
        return parsed;
    }
}
