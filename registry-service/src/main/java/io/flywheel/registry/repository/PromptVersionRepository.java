package io.flywheel.registry.repository;

import io.flywheel.registry.PromptVersion;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class PromptVersionRepository implements PanacheRepositoryBase<PromptVersion, PromptVersion.Key> {

    public Uni<PromptVersion> byKey(String project, String name, int version) {
        return findById(new PromptVersion.Key(project, name, version));
    }

    /** The next free number; only meaningful while the prompt's row is locked. */
    public Uni<Integer> nextNumber(String project, String name) {
        return Panache.getSession().chain(session -> session
                .createQuery("select coalesce(max(v.version), 0) + 1 from PromptVersion v where v.project = :project and v.name = :name",
                        Integer.class)
                .setParameter("project", project).setParameter("name", name)
                .getSingleResult());
    }

    /** The newest version (what {@code latest} means), or null. */
    public Uni<PromptVersion> latest(String project, String name) {
        return find("project = ?1 and name = ?2 order by version desc", project, name).firstResult();
    }

    /** Newest first, below {@code before} (keyset paging). */
    public Uni<List<PromptVersion>> page(String project, String name, Integer before, int limit) {
        return find("project = :project and name = :name and version < :before order by version desc",
                Parameters.with("project", project).and("name", name).and("before", before == null ? Integer.MAX_VALUE : before))
                .range(0, limit - 1).list();
    }

    /** Every version number of each prompt named, newest first. */
    public Uni<List<Object[]>> numbers(String project, List<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().chain(session -> session
                .createQuery("select v.name, v.version from PromptVersion v where v.project = :project and v.name in :names"
                        + " order by v.name, v.version desc", Object[].class)
                .setParameter("project", project).setParameter("names", names)
                .getResultList());
    }

    public Uni<List<PromptVersion>> newest(String project, List<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("from PromptVersion v where v.project = ?1 and v.name in ?2 and v.version = (select max(w.version)"
                + " from PromptVersion w where w.project = v.project and w.name = v.name)", project, names);
    }
}
