package io.flywheel.registry.repository;

import io.flywheel.registry.PromptLabel;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class PromptLabelRepository implements PanacheRepositoryBase<PromptLabel, PromptLabel.Key> {

    public Uni<PromptLabel> byKey(String project, String name, String label) {
        return findById(new PromptLabel.Key(project, name, label));
    }

    public Uni<List<PromptLabel>> ofPrompt(String project, String name) {
        return list("project = ?1 and name = ?2 order by label", project, name);
    }

    public Uni<List<PromptLabel>> ofPrompts(String project, List<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("project = ?1 and name in ?2 order by label", project, names);
    }
}
