package io.flywheel.registry.repository;

import io.flywheel.registry.AliasMove;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class AliasMoveRepository implements PanacheRepositoryBase<AliasMove, Long> {

    /** Newest first, older than {@code before} (keyset paging on the sequence). */
    public Uni<List<AliasMove>> history(String model, String alias, Long before, int limit) {
        return find("model = :model and alias = :alias and seq < :before order by seq desc",
                Parameters.with("model", model).and("alias", alias).and("before", before == null ? Long.MAX_VALUE : before))
                .range(0, limit - 1)
                .list();
    }
}
