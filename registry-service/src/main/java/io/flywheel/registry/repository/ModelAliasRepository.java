package io.flywheel.registry.repository;

import io.flywheel.registry.ModelAlias;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ModelAliasRepository implements PanacheRepositoryBase<ModelAlias, ModelAlias.Key> {

    public Uni<ModelAlias> byKey(String model, String alias) {
        return findById(new ModelAlias.Key(model, alias));
    }

    public Uni<List<ModelAlias>> ofModel(String model) {
        return list("model = ?1 order by alias", model);
    }
}
