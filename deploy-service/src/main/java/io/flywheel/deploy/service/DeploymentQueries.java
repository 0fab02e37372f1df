package io.flywheel.deploy.service;

import io.flywheel.deploy.DeploymentRow;
import io.flywheel.deploy.HistoryEntry;
import io.flywheel.deploy.KnownModel;
import io.flywheel.deploy.ModelNotFoundException;
import io.flywheel.deploy.registry.Registry;
import io.flywheel.deploy.rollout.Deployment;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads of deployments and their history. */
@ApplicationScoped
public class DeploymentQueries {

    /** A deployment with its stored row (null when nothing was ever deployed there). */
    public record Stored(Deployment deployment, DeploymentRow row) {
    }

    private final Environments environments;
    private final Registry registry;

    public DeploymentQueries(Environments environments, Registry registry) {
        this.environments = environments;
        this.registry = registry;
    }

    /** The model in every configured environment, in order. */
    public Uni<List<Stored>> byModel(String model) {
        return Panache.withSession(() -> Panache.getSession()
                        .chain(session -> session.createQuery("from DeploymentRow where model = :model", DeploymentRow.class)
                                .setParameter("model", model).getResultList())
                        .call(rows -> rows.isEmpty() ? requireKnown(model) : Uni.createFrom().voidItem()))
                .map(rows -> {
                    Map<String, DeploymentRow> byEnvironment = rows.stream()
                            .collect(Collectors.toMap(r -> r.environment, Function.identity()));
                    return environments.names().stream().map(env -> stored(model, env, byEnvironment.get(env))).toList();
                });
    }

    public Uni<Stored> inEnvironment(String model, String environment) {
        environments.require(environment);
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.find(DeploymentRow.class, new DeploymentRow.Key(model, environment)))
                .call(row -> row == null ? requireKnownAnywhere(model) : Uni.createFrom().voidItem())
                .map(row -> stored(model, environment, row)));
    }

    /** Newest first, {@code limit + 1} rows (the extra one says another page exists). */
    public Uni<List<HistoryEntry>> history(String model, String environment, Long before, int limit) {
        environments.require(environment);
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createQuery(
                                "from HistoryEntry where model = :model and environment = :environment and id < :before order by id desc",
                                HistoryEntry.class)
                        .setParameter("model", model)
                        .setParameter("environment", environment)
                        .setParameter("before", before == null ? Long.MAX_VALUE : before)
                        .setMaxResults(limit + 1)
                        .getResultList())
                .call(rows -> rows.isEmpty() && before == null ? requireKnownAnywhere(model) : Uni.createFrom().voidItem()));
    }

    private static Stored stored(String model, String environment, DeploymentRow row) {
        return new Stored(row == null ? Deployment.empty(model, environment) : row.toDomain(), row);
    }

    private Uni<Void> requireKnownAnywhere(String model) {
        return Panache.getSession().chain(session -> session.createQuery("select count(*) from DeploymentRow where model = :model",
                        Long.class).setParameter("model", model).getSingleResult())
                .chain(n -> n > 0 ? Uni.createFrom().voidItem() : requireKnown(model));
    }

    /** Known from the registry's events, or (events not seen yet) from the registry itself. */
    private Uni<Void> requireKnown(String model) {
        return Panache.getSession().chain(session -> session.find(KnownModel.class, model))
                .chain(known -> known != null ? Uni.createFrom().item(true) : registry.hasModel(model))
                .invoke(found -> {
                    if (!found) {
                        throw new ModelNotFoundException(model);
                    }
                })
                .replaceWithVoid();
    }
}
