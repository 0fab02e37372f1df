package io.flywheel.registry.repository;

import io.flywheel.registry.DatasetVersion;
import io.flywheel.registry.DatasetVersionRef;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class DatasetVersionRepository implements PanacheRepositoryBase<DatasetVersion, DatasetVersion.Key> {

    public Uni<DatasetVersion> byKey(String dataset, String id) {
        return findById(new DatasetVersion.Key(dataset, id));
    }

    /**
     * Newest first, after the version registered at {@code beforeAt} with id {@code beforeId}
     * (keyset paging on (created_at, id)); both null for the first page.
     */
    public Uni<List<DatasetVersion>> page(String dataset, Instant beforeAt, String beforeId, int limit) {
        if (beforeAt == null) {
            return find("dataset = ?1 order by createdAt desc, id desc", dataset).range(0, limit - 1).list();
        }
        return find("dataset = :dataset and (createdAt < :at or (createdAt = :at and id < :id)) order by createdAt desc, id desc",
                Parameters.with("dataset", dataset).and("at", beforeAt).and("id", beforeId))
                .range(0, limit - 1)
                .list();
    }

    /** Those of {@code refs} that are registered. */
    public Uni<List<DatasetVersion>> findAll(List<DatasetVersionRef> refs) {
        if (refs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        StringBuilder query = new StringBuilder();
        Parameters parameters = new Parameters();
        for (int i = 0; i < refs.size(); i++) {
            query.append(i == 0 ? "" : " or ").append("(dataset = :d").append(i).append(" and id = :i").append(i).append(")");
            parameters.and("d" + i, refs.get(i).dataset()).and("i" + i, refs.get(i).id());
        }
        return list(query.toString(), parameters);
    }
}
