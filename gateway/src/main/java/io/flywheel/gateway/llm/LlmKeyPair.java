package io.flywheel.gateway.llm;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A project's Langfuse key pair: the public key and the SHA-256 of the secret key, never the secret itself. */
@Entity
@Table(name = "llm_key_pair")
public class LlmKeyPair {
    @Id
    public String publicKey;
    public String projectId;
    public byte[] secretHash;
    public String createdBy;
    public Instant createdAt;
    public Instant revokedAt;
}
