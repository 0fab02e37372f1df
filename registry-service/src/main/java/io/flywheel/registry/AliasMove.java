package io.flywheel.registry;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One entry of an alias's history: kept for good, never updated. {@code toVersion} is null for a delete. */
@Entity
@Table(name = "alias_move")
public class AliasMove {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    public String model;

    public String alias;

    public Integer fromVersion;

    public Integer toVersion;

    public String movedBy;

    public String reason;

    public Instant movedAt;

    public static AliasMove of(String model, String alias, Integer from, Integer to, String by, String reason, Instant at) {
        AliasMove move = new AliasMove();
        move.model = model;
        move.alias = alias;
        move.fromVersion = from;
        move.toVersion = to;
        move.movedBy = by;
        move.reason = reason;
        move.movedAt = at;
        return move;
    }
}
