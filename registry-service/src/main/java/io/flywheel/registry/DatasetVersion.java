package io.flywheel.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.time.Instant;

/**
 * One version of a dataset, identified by the SHA-256 of its full content (its bytes are the blob
 * {@code blobs/sha256/<id>}). Never changes once written.
 */
@Entity
@Table(name = "dataset_version")
@IdClass(DatasetVersion.Key.class)
public class DatasetVersion {

    public static final String CSV = "csv";
    public static final String JSONL = "jsonl";

    @Id
    public String dataset;

    /** SHA-256 (hex) of the content. */
    @Id
    public String id;

    public String format;

    public String contentType;

    public long rowCount;

    public long sizeBytes;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "column_schema")
    public DatasetSchema schema;

    public String createdBy;

    public Instant createdAt;

    public static class Key implements Serializable {
        public String dataset;
        public String id;

        public Key() {
        }

        public Key(String dataset, String id) {
            this.dataset = dataset;
            this.id = id;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.dataset.equals(dataset) && key.id.equals(id);
        }

        @Override
        public int hashCode() {
            return dataset.hashCode() * 31 + id.hashCode();
        }
    }
}
