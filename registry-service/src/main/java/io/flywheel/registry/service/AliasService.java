package io.flywheel.registry.service;

import io.flywheel.events.AliasMoved;
import io.flywheel.registry.AliasMove;
import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.ModelAlias;
import io.flywheel.registry.ModelVersion;
import io.flywheel.registry.NotFoundException;
import io.flywheel.registry.PreconditionFailedException;
import io.flywheel.registry.VersionNotReadyException;
import io.flywheel.outbox.Outbox;
import io.flywheel.registry.repository.AliasMoveRepository;
import io.flywheel.registry.repository.ModelAliasRepository;
import io.flywheel.registry.repository.ModelRepository;
import io.flywheel.registry.repository.ModelVersionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Aliases: named pointers to ready versions. Moves of a model's aliases are serialised (the model's
 * row is locked for the transaction) and checked against the caller's If-Match, so of two writers
 * holding the same ETag only the first moves the alias; every move is kept in the alias's history
 * and announced through the outbox.
 */
@ApplicationScoped
public class AliasService {

    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final ModelAliasRepository aliases;
    private final AliasMoveRepository moves;
    private final Outbox outbox;

    public AliasService(ModelRepository models, ModelVersionRepository versions, ModelAliasRepository aliases,
                        AliasMoveRepository moves, Outbox outbox) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
        this.moves = moves;
        this.outbox = outbox;
    }

    /** An alias as read: set by someone, or derived ({@code latest}). */
    public record Resolved(String model, String alias, int version, String etag, Instant updatedAt, String updatedBy,
                           boolean derived) {
        static Resolved of(ModelAlias alias) {
            return new Resolved(alias.model, alias.alias, alias.version, alias.etag(), alias.updatedAt, alias.updatedBy, false);
        }

        static Resolved latest(ModelVersion version) {
            return new Resolved(version.model, ModelAlias.LATEST, version.version, "\"latest-" + version.version + "\"",
                    version.finalisedAt, "registry", true);
        }
    }

    /**
     * Points {@code alias} at {@code version}. With {@code ifMatch} the alias must exist and still
     * carry that ETag (412 otherwise); without it the move is unconditional. Moving an alias to the
     * version it already points at changes nothing.
     */
    @WithTransaction
    public Uni<Resolved> move(String model, String alias, int version, String ifMatch, String actor, String reason) {
        refuseLatest(alias);
        return lockModel(model)
                .chain(() -> target(model, version))
                .chain(() -> aliases.byKey(model, alias))
                .chain(current -> {
                    checkPrecondition(model, alias, current, ifMatch);
                    if (current != null && current.version == version) {
                        return Uni.createFrom().item(Resolved.of(current));
                    }
                    Instant now = ModelService.now();
                    Integer from = current == null ? null : current.version;
                    ModelAlias moved = current;
                    if (moved == null) {
                        moved = new ModelAlias();
                        moved.model = model;
                        moved.alias = alias;
                        moved.revision = 0;
                    }
                    moved.version = version;
                    moved.revision++;
                    moved.updatedBy = actor;
                    moved.updatedAt = now;
                    ModelAlias saved = moved;
                    return aliases.persist(saved)
                            .call(() -> moves.persist(AliasMove.of(model, alias, from, version, actor, reason, now)))
                            .call(() -> outbox.add(model, AliasMoved.TYPE, AliasMoved.of(model, alias, from, version, actor, reason, now)))
                            .map(ignored -> Resolved.of(saved));
                });
    }

    /** Removes an alias (kept in its history as a move to nothing). */
    @WithTransaction
    public Uni<Void> delete(String model, String alias, String ifMatch, String actor, String reason) {
        refuseLatest(alias);
        return lockModel(model)
                .chain(() -> aliases.byKey(model, alias))
                .onItem().ifNull().failWith(() -> new NotFoundException("alias", model + "/" + alias))
                .chain(current -> {
                    checkPrecondition(model, alias, current, ifMatch);
                    return aliases.delete(current)
                            .call(() -> moves.persist(AliasMove.of(model, alias, current.version, null, actor, reason, ModelService.now())));
                })
                .replaceWithVoid();
    }

    @WithSession
    public Uni<Resolved> get(String model, String alias) {
        if (ModelAlias.LATEST.equals(alias)) {
            return requireModel(model)
                    .chain(() -> versions.latestReady(model))
                    .onItem().ifNull().failWith(() -> new NotFoundException("alias", model + "/latest (the model has no ready version yet)"))
                    .map(Resolved::latest);
        }
        return aliases.byKey(model, alias)
                .chain(found -> found != null ? Uni.createFrom().item(Resolved.of(found))
                        : requireModel(model).map(ignored -> {
                            throw new NotFoundException("alias", model + "/" + alias);
                        }));
    }

    /** Every alias of the model, {@code latest} included when there is a ready version. */
    @WithSession
    public Uni<List<Resolved>> list(String model) {
        return requireModel(model)
                .chain(() -> aliases.ofModel(model))
                .chain(set -> versions.latestReady(model).map(latest -> {
                    List<Resolved> all = new ArrayList<>();
                    set.forEach(alias -> all.add(Resolved.of(alias)));
                    if (latest != null) {
                        all.add(Resolved.latest(latest));
                    }
                    return all;
                }));
    }

    /** The alias's moves, newest first, older than {@code before}; plus one to tell whether a next page exists. */
    @WithSession
    public Uni<List<AliasMove>> history(String model, String alias, Long before, int limit) {
        return requireModel(model).chain(() -> moves.history(model, alias, before, limit + 1));
    }

    private Uni<Void> lockModel(String model) {
        return models.lock(model)
                .onItem().ifNull().failWith(() -> new NotFoundException("model", model))
                .replaceWithVoid();
    }

    private Uni<Void> target(String model, int version) {
        return versions.byKey(model, version)
                .onItem().ifNull().failWith(() -> new NotFoundException("model version", model + "/" + version))
                .invoke(found -> {
                    if (!found.isReady()) {
                        throw new VersionNotReadyException(model, version);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> requireModel(String model) {
        return models.findById(model)
                .onItem().ifNull().failWith(() -> new NotFoundException("model", model))
                .replaceWithVoid();
    }

    private static void refuseLatest(String alias) {
        if (ModelAlias.LATEST.equals(alias)) {
            throw new InvalidRequestException("'latest' is derived (the highest ready version) and can't be set or deleted; use another alias name");
        }
    }

    /** If-Match (RFC 9110): "*" or a list of strong ETags; a missing alias matches nothing. */
    private static void checkPrecondition(String model, String alias, ModelAlias current, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        if (current == null) {
            throw new PreconditionFailedException("alias '" + alias + "' of model '" + model
                    + "' does not exist, so If-Match can't hold; create it without If-Match");
        }
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(current.etag())) {
                return;
            }
        }
        throw new PreconditionFailedException("alias '" + alias + "' of model '" + model + "' has moved: its ETag is now "
                + current.etag() + " (version " + current.version + "); GET it, then decide again");
    }
}
