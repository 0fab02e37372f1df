package io.flywheel.registry.rest;

import io.flywheel.registry.service.AliasService;

import java.time.Instant;

/** An alias as the API shows it (registry-service/README.md); {@code derived} is true for {@code latest}. */
public record AliasView(String model, String alias, int version, Instant updatedAt, String updatedBy, String etag,
                        boolean derived) {
    static AliasView of(AliasService.Resolved alias) {
        return new AliasView(alias.model(), alias.alias(), alias.version(), alias.updatedAt(), alias.updatedBy(),
                alias.etag(), alias.derived());
    }
}
