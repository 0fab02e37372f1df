package io.flywheel.gateway.ingest;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An accepted ingest request that carried an Idempotency-Key. */
@Entity
@Table(name = "ingest_batch")
public class IngestBatch {
    @Id
    public String idempotencyKey;
    public String kind;
    public int records;
    public Instant acceptedAt;
}
