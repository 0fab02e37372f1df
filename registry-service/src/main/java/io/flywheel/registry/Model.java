package io.flywheel.registry;

import io.flywheel.events.Names;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A named model: the container of its immutable versions and its aliases. */
@Entity
@Table(name = "model")
public class Model {

    /** Letters, digits, '-', '_' and '.', 1 to 128 characters: safe in URLs, S3 keys and Kafka keys. */
    public static final String NAME_PATTERN = Names.PATTERN;

    @Id
    public String name;

    public String description;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> tags = new HashMap<>();

    public boolean archived;

    public Instant createdAt;

    public Instant updatedAt;

    @Version
    public long revision;

    public static Model create(String name, String description, Map<String, String> tags, Instant now) {
        Model model = new Model();
        model.name = name;
        model.description = description == null ? "" : description;
        model.tags = new HashMap<>(tags == null ? Map.of() : tags);
        model.createdAt = now;
        model.updatedAt = now;
        return model;
    }
}
