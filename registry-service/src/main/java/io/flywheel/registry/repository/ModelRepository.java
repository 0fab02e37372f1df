package io.flywheel.registry.repository;

import io.flywheel.registry.Model;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<Model, String> {

    /** One page in name order, starting after {@code after} (keyset paging: stable under inserts). */
    public Uni<List<Model>> page(String namePrefix, String after, int limit) {
        return find("name > :after and name like :prefix order by name",
                Parameters.with("after", after == null ? "" : after)
                        .and("prefix", escapeLike(namePrefix == null ? "" : namePrefix) + "%"))
                .range(0, limit - 1)
                .list();
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
