package io.flywheel.gateway.auth;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A stored API key: its hash, never the key itself. */
@Entity
@Table(name = "api_key")
public class ApiKey {
    @Id
    public String id;
    public String name;
    public byte[] secretHash;
    /** Comma-separated role ids. */
    public String roles;
    public String createdBy;
    public Instant createdAt;
    public Instant expiresAt;
    public Instant revokedAt;

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
