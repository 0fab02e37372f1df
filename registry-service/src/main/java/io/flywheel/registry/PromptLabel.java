package io.flywheel.registry;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A label (e.g. {@code production}) on one version of a prompt; the key makes it one version at a time. */
@Entity
@Table(name = "prompt_label")
@IdClass(PromptLabel.Key.class)
public class PromptLabel {

    @Id
    public String project;

    @Id
    public String name;

    @Id
    public String label;

    public int version;

    public String updatedBy;

    public Instant updatedAt;

    public static class Key implements Serializable {
        public String project;
        public String name;
        public String label;

        public Key() {
        }

        public Key(String project, String name, String label) {
            this.project = project;
            this.name = name;
            this.label = label;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.project.equals(project) && key.name.equals(name) && key.label.equals(label);
        }

        @Override
        public int hashCode() {
            return Objects.hash(project, name, label);
        }
    }
}
