package io.flywheel.registry;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A named dataset: the container of its content-addressed versions. */
@Entity
@Table(name = "dataset")
public class Dataset {

    @Id
    public String name;

    public String description;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> tags = new HashMap<>();

    public Instant createdAt;

    public Instant updatedAt;

    @Version
    public long revision;

    public static Dataset create(String name, String description, Map<String, String> tags, Instant now) {
        Dataset dataset = new Dataset();
        dataset.name = name;
        dataset.description = description == null ? "" : description;
        dataset.tags = new HashMap<>(tags == null ? Map.of() : tags);
        dataset.createdAt = now;
        dataset.updatedAt = now;
        return dataset;
    }
}
