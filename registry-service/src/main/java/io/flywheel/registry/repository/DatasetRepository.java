package io.flywheel.registry.repository;

import io.flywheel.registry.Dataset;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;

@ApplicationScoped
public class DatasetRepository implements PanacheRepositoryBase<Dataset, String> {

    public Uni<List<Dataset>> page(String namePrefix, String after, int limit) {
        return find("name > :after and name like :prefix order by name",
                Parameters.with("after", after == null ? "" : after)
                        .and("prefix", Sql.escapeLike(namePrefix == null ? "" : namePrefix) + "%"))
                .range(0, limit - 1)
                .list();
    }

    /** The dataset locked until the transaction ends: two uploads of the same content make one version. */
    public Uni<Dataset> lock(String name) {
        return findById(name, LockModeType.PESSIMISTIC_WRITE);
    }
}
