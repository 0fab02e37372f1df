package io.flywheel.registry.repository;

import io.flywheel.registry.Prompt;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class PromptRepository implements PanacheRepositoryBase<Prompt, Prompt.Key> {

    /** Which prompts a list shows: all of a project, narrowed by each filter that is not null. */
    public record Filter(String project, String name, String prefix, String label, String tag, Instant updatedFrom,
                         Instant updatedTo) {
    }

    public Uni<Prompt> byKey(String project, String name) {
        return findById(new Prompt.Key(project, name));
    }

    /** The prompt, locked until the transaction ends: serialises its versions' numbering and label moves. */
    public Uni<Prompt> lock(String project, String name) {
        return findById(new Prompt.Key(project, name), LockModeType.PESSIMISTIC_WRITE);
    }

    /** Creates the prompt's row unless it exists (two first versions at once: one inserts, both then lock it). */
    public Uni<Void> insertIfAbsent(String project, String name, String type, List<String> tags, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into prompt (project, name, type, tags, created_at, updated_at, revision)
                        values (:project, :name, :type, cast(cast(:tags as text) as jsonb), :now, :now, 0)
                        on conflict do nothing""")
                .setParameter("project", project).setParameter("name", name).setParameter("type", type)
                .setParameter("tags", Sql.json(new Prompt.Tags(tags))).setParameter("now", now)
                .executeUpdate()).replaceWithVoid();
    }

    /** One page in name order: after {@code after} (keyset) or from {@code offset} (Langfuse's pages). */
    public Uni<List<Prompt>> page(Filter filter, String after, int offset, int limit) {
        Map<String, Object> parameters = new HashMap<>();
        String where = where(filter, parameters);
        if (after != null) {
            where += " and name > :after";
            parameters.put("after", after);
        }
        String sql = "select * from prompt where " + where + " order by name limit " + limit + " offset " + offset;
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Prompt.class);
            parameters.forEach(query::setParameter);
            return query.getResultList();
        });
    }

    public Uni<Long> count(Filter filter) {
        Map<String, Object> parameters = new HashMap<>();
        String sql = "select count(*) from prompt where " + where(filter, parameters);
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Long.class);
            parameters.forEach(query::setParameter);
            return query.getSingleResult();
        });
    }

    private static String where(Filter filter, Map<String, Object> parameters) {
        StringBuilder where = new StringBuilder("project = :project");
        parameters.put("project", filter.project());
        if (filter.name() != null) {
            where.append(" and name = :name");
            parameters.put("name", filter.name());
        }
        if (filter.prefix() != null) {
            where.append(" and name like :prefix");
            parameters.put("prefix", Sql.escapeLike(filter.prefix()) + "%");
        }
        if (filter.tag() != null) {
            where.append(" and jsonb_exists(tags -> 'values', :tag)");
            parameters.put("tag", filter.tag());
        }
        if (filter.label() != null) {
            if ("latest".equals(filter.label())) {
                where.append(" and true"); // every prompt has a newest version
            } else {
                where.append(" and exists (select 1 from prompt_label l where l.project = prompt.project and l.name = prompt.name"
                        + " and l.label = :label)");
                parameters.put("label", filter.label());
            }
        }
        if (filter.updatedFrom() != null) {
            where.append(" and updated_at >= :updatedFrom");
            parameters.put("updatedFrom", filter.updatedFrom());
        }
        if (filter.updatedTo() != null) {
            where.append(" and updated_at < :updatedTo");
            parameters.put("updatedTo", filter.updatedTo());
        }
        return where.toString();
    }
}
