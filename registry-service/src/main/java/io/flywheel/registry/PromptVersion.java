package io.flywheel.registry;

import io.flywheel.registry.prompt.PromptContent;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable version of a prompt (a database trigger refuses updates): a text template or chat
 * messages, its config (model, temperature, ...), who made it and why, and the experiment that
 * justified it, if any.
 */
@Entity
@Table(name = "prompt_version")
@IdClass(PromptVersion.Key.class)
public class PromptVersion {

    @Id
    public String project;

    @Id
    public String name;

    @Id
    public int version;

    public String promptText;

    /** Stored as {@code {"values": [...]}}: the reactive PostgreSQL client reads a jsonb column only as an object. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Messages messages;

    public record Messages(List<Map<String, Object>> values) {
    }

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> config = new HashMap<>();

    public String commitMessage;

    public String experimentId;

    public String createdBy;

    public Instant createdAt;

    public PromptContent content() {
        return promptText != null ? PromptContent.text(promptText) : PromptContent.chat(messages.values());
    }

    public static class Key implements Serializable {
        public String project;
        public String name;
        public int version;

        public Key() {
        }

        public Key(String project, String name, int version) {
            this.project = project;
            this.name = name;
            this.version = version;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.project.equals(project) && key.name.equals(name) && key.version == version;
        }

        @Override
        public int hashCode() {
            return Objects.hash(project, name, version);
        }
    }
}
