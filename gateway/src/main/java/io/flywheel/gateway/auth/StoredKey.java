package io.flywheel.gateway.auth;

import java.time.Instant;
import java.util.Set;

/** What verification needs of a key row; immutable, so it can sit in the cache. */
public record StoredKey(String id, String name, byte[] secretHash, Set<Role> roles, Instant expiresAt, Instant revokedAt) {

    static StoredKey of(ApiKey row) {
        return new StoredKey(row.id, row.name, row.secretHash, ApiKeys.parseRoles(row.roles), row.expiresAt, row.revokedAt);
    }

    boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
