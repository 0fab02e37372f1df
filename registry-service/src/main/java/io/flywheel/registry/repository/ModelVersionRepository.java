package io.flywheel.registry.repository;

import io.flywheel.registry.DatasetVersionRef;
import io.flywheel.registry.DatasetVersionRefs;
import io.flywheel.registry.ModelVersion;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;

@ApplicationScoped
public class ModelVersionRepository implements PanacheRepositoryBase<ModelVersion, ModelVersion.Key> {

    public Uni<ModelVersion> byKey(String model, int version) {
        return findById(new ModelVersion.Key(model, version));
    }

    /** The version, locked until the transaction ends (finalising and editing don't interleave). */
    public Uni<ModelVersion> lock(String model, int version) {
        return findById(new ModelVersion.Key(model, version), LockModeType.PESSIMISTIC_WRITE);
    }

    /** The next free number; only meaningful while the model's row is locked. */
    public Uni<Integer> nextNumber(String model) {
        return Panache.getSession().chain(session -> session
                .createQuery("select coalesce(max(v.version), 0) + 1 from ModelVersion v where v.model = :model", Integer.class)
                .setParameter("model", model)
                .getSingleResult());
    }

    public Uni<ModelVersion> findByIdempotencyKey(String model, String key) {
        return find("model = ?1 and idempotencyKey = ?2", model, key).firstResult();
    }

    /** Newest first, below {@code before} (keyset paging); {@code status} null means any. */
    public Uni<List<ModelVersion>> page(String model, String status, Integer before, int limit) {
        Parameters parameters = Parameters.with("model", model).and("before", before == null ? Integer.MAX_VALUE : before);
        String query = "model = :model and version < :before";
        if (status != null) {
            query += " and status = :status";
            parameters.and("status", status);
        }
        return find(query + " order by version desc", parameters).range(0, limit - 1).list();
    }

    /** Whether any model version's artifact or any dataset version is this blob. */
    public Uni<Boolean> blobReferenced(String sha256) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        select exists(select 1 from model_version where artifact_sha256 = :sha)
                            or exists(select 1 from dataset_version where id = :sha)""", Boolean.class)
                .setParameter("sha", sha256)
                .getSingleResult());
    }

    /** The highest ready version: what the derived alias {@code latest} resolves to. */
    public Uni<ModelVersion> latestReady(String model) {
        return find("model = ?1 and status = ?2 order by version desc", model, ModelVersion.READY).firstResult();
    }

    /** The version and every ancestor through parent_version, nearest first. */
    public Uni<List<ModelVersion>> withAncestors(String model, int version) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        with recursive chain as (
                            select * from model_version where model = :model and version = :version
                            union all
                            select p.* from model_version p join chain c on p.model = c.model and p.version = c.parent_version
                        ) select * from chain order by version desc""", ModelVersion.class)
                .setParameter("model", model)
                .setParameter("version", version)
                .getResultList());
    }

    /** Every version derived from this one, directly or through others, in number order. */
    public Uni<List<ModelVersion>> descendants(String model, int version) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        with recursive derived as (
                            select * from model_version where model = :model and parent_version = :version
                            union all
                            select c.* from model_version c join derived d on c.model = d.model and c.parent_version = d.version
                        ) select * from derived order by version""", ModelVersion.class)
                .setParameter("model", model)
                .setParameter("version", version)
                .getResultList());
    }

    /** Versions of any model trained on this dataset version, newest first. */
    public Uni<List<ModelVersion>> trainedOn(DatasetVersionRef dataset, int limit) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "select * from model_version where dataset_versions @> cast(cast(:ref as text) as jsonb) order by created_at desc limit " + limit,
                        ModelVersion.class)
                .setParameter("ref", Sql.json(new DatasetVersionRefs(List.of(dataset))))
                .getResultList());
    }
}
