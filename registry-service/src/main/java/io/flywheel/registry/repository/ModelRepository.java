package io.flywheel.registry.repository;

import io.flywheel.registry.Model;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<Model, String> {

    /**
     * One page in name order, starting after {@code after} (keyset paging: stable under inserts).
     * {@code tags} must all match (key to value; a null value only asks that the key be there);
     * {@code archived} null shows both.
     */
    public Uni<List<Model>> page(String namePrefix, Map<String, String> tags, Boolean archived, String after, int limit) {
        StringBuilder sql = new StringBuilder("select * from model where name > :after and name like :prefix");
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("after", after == null ? "" : after);
        parameters.put("prefix", Sql.escapeLike(namePrefix == null ? "" : namePrefix) + "%");
        Map<String, String> valued = new HashMap<>();
        int keyIndex = 0;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getValue() == null) {
                String parameter = "key" + keyIndex++;
                sql.append(" and jsonb_exists(tags, :").append(parameter).append(")");
                parameters.put(parameter, tag.getKey());
            } else {
                valued.put(tag.getKey(), tag.getValue());
            }
        }
        if (!valued.isEmpty()) {
            sql.append(" and tags @> cast(cast(:tags as text) as jsonb)");
            parameters.put("tags", Sql.json(valued));
        }
        if (archived != null) {
            sql.append(" and archived = :archived");
            parameters.put("archived", archived);
        }
        sql.append(" order by name limit ").append(limit);
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString(), Model.class);
            parameters.forEach(query::setParameter);
            return query.getResultList();
        });
    }

    /** The model, locked until the transaction ends: serialises version numbering per model. */
    public Uni<Model> lock(String name) {
        return findById(name, LockModeType.PESSIMISTIC_WRITE);
    }
}
