package io.flywheel.deploy;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A pending move of the registry's champion alias, written in the transaction that changed production. */
@Entity
@Table(name = "champion_sync")
public class ChampionSync {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String model;
    public int version;
    public String actor;
    public String reason;
    public Instant createdAt;
    public Instant doneAt;
    public int attempts;
    public String lastError;
}
