package io.flywheel.gateway.auth;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A signed-in dashboard: the hash of the session id its cookie holds, and the key it was opened with. */
@Entity
@Table(name = "dashboard_session")
public class DashboardSession {
    @Id
    public byte[] idHash;
    public String keyId;
    public Instant createdAt;
    public Instant expiresAt;
}
