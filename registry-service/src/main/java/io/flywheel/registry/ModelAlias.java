package io.flywheel.registry;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/**
 * A movable name (e.g. {@code champion}) for one ready version of a model. {@code revision} goes up
 * with every move and is the alias's ETag, so a writer holding a stale one is refused (412).
 */
@Entity
@Table(name = "model_alias")
@IdClass(ModelAlias.Key.class)
public class ModelAlias {

    /** Derived from the versions (the highest ready one); it can't be set. */
    public static final String LATEST = "latest";

    @Id
    public String model;

    @Id
    public String alias;

    public int version;

    public String updatedBy;

    public Instant updatedAt;

    /** Bumped by the service on every move (not @Version: the check against If-Match is explicit). */
    public long revision;

    public String etag() {
        return etag(revision);
    }

    public static String etag(long revision) {
        return "\"" + revision + "\"";
    }

    public static class Key implements Serializable {
        public String model;
        public String alias;

        public Key() {
        }

        public Key(String model, String alias) {
            this.model = model;
            this.alias = alias;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.model.equals(model) && key.alias.equals(alias);
        }

        @Override
        public int hashCode() {
            return model.hashCode() * 31 + alias.hashCode();
        }
    }
}
