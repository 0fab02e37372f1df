package io.flywheel.linear;

/**
 * A feature's type in the artifact, and a column's type as the dataset reader infers it.
 *
 * <p>{@code number}, {@code integer} and {@code boolean} features are standardised (a boolean as
 * 0/1); {@code string} features are one-hot encoded over the categories seen in training.
 */
public enum FeatureType {
    NUMBER("number"),
    INTEGER("integer"),
    BOOLEAN("boolean"),
    STRING("string");

    private final String id;

    FeatureType(String id) {
        this.id = id;
    }

    /** The artifact's spelling, e.g. {@code integer}. */
    public String id() {
        return id;
    }

    /** True for number and integer. */
    public boolean isNumeric() {
        return this == NUMBER || this == INTEGER;
    }

    /** The type with this id; an IllegalArgumentException names the accepted ids otherwise. */
    public static FeatureType of(String id) {
        for (FeatureType type : values()) {
            if (type.id.equals(id)) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "unknown feature type '" + id + "' (expected number, integer, boolean or string)");
    }

    @Override
    public String toString() {
        return id;
    }
}
