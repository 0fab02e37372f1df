package io.flywheel.registry.service;

import io.flywheel.events.ModelCreated;
import io.flywheel.registry.AlreadyExistsException;
import io.flywheel.registry.Model;
import io.flywheel.registry.NotFoundException;
import io.flywheel.outbox.Outbox;
import io.flywheel.registry.repository.ModelRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class ModelService {

    private final ModelRepository models;
    private final Outbox outbox;

    public ModelService(ModelRepository models, Outbox outbox) {
        this.models = models;
        this.outbox = outbox;
    }

    @WithTransaction
    public Uni<Model> create(String name, String description, Map<String, String> tags) {
        return models.findById(name)
                .onItem().ifNotNull().failWith(() -> new AlreadyExistsException("model", name))
                .chain(() -> {
                    Model model = Model.create(name, description, tags, now());
                    return models.persist(model)
                            .call(() -> outbox.add(name, ModelCreated.TYPE,
                                    ModelCreated.of(name, model.description, model.tags, model.createdAt)));
                });
    }

    @WithSession
    public Uni<Model> get(String name) {
        return models.findById(name).onItem().ifNull().failWith(() -> new NotFoundException("model", name));
    }

    /**
     * Changes what may change: the description (when given), tags (merged: a null value removes the
     * key) and the archived flag (archived models take no new versions).
     */
    @WithTransaction
    public Uni<Model> update(String name, String description, Map<String, String> tagChanges, Boolean archived) {
        return models.lock(name)
                .onItem().ifNull().failWith(() -> new NotFoundException("model", name))
                .invoke(model -> {
                    if (description != null) {
                        model.description = description;
                    }
                    if (tagChanges != null) {
                        model.tags = Tags.merge(model.tags, tagChanges);
                    }
                    if (archived != null) {
                        model.archived = archived;
                    }
                    model.updatedAt = now();
                });
    }

    /** Up to {@code limit} models in name order after {@code after}, plus one more to tell whether a next page exists. */
    @WithSession
    public Uni<List<Model>> page(String namePrefix, Map<String, String> tags, Boolean archived, String after, int limit) {
        return models.page(namePrefix, tags, archived, after, limit + 1);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
