package io.flywheel.registry;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A prompt of a project: the container of its immutable versions and their labels. Its type is set
 * by its first version; its tags are shared by every version. {@code revision} goes up with every
 * change (a version, a label move, tags) and makes the ETag of a fetched prompt.
 */
@Entity
@Table(name = "prompt")
@IdClass(Prompt.Key.class)
public class Prompt {

    @Id
    public String project;

    @Id
    public String name;

    public String type;

    /** Stored as {@code {"values": [...]}}: the reactive PostgreSQL client reads a jsonb column only as an object. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Tags tags = new Tags(new ArrayList<>());

    public record Tags(List<String> values) {
    }

    public List<String> tagList() {
        return tags == null || tags.values() == null ? List.of() : tags.values();
    }

    public Instant createdAt;

    public Instant updatedAt;

    /** Bumped by the service on every change (not @Version: the ETag is read from it). */
    public long revision;

    public static class Key implements Serializable {
        public String project;
        public String name;

        public Key() {
        }

        public Key(String project, String name) {
            this.project = project;
            this.name = name;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.project.equals(project) && key.name.equals(name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(project, name);
        }
    }
}
