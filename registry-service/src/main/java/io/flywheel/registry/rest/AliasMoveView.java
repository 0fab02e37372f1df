package io.flywheel.registry.rest;

import io.flywheel.registry.AliasMove;

import java.time.Instant;

/** One entry of an alias's history; {@code to_version} is null where the alias was deleted. */
public record AliasMoveView(Integer fromVersion, Integer toVersion, Instant movedAt, String movedBy, String reason) {
    static AliasMoveView of(AliasMove move) {
        return new AliasMoveView(move.fromVersion, move.toVersion, move.movedAt, move.movedBy, move.reason);
    }
}
