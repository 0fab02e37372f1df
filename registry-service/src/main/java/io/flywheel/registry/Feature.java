package io.flywheel.registry;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** One named, typed value of a model's signature: an input feature or the output. */
public record Feature(
        @NotBlank(message = "a feature needs a name")
        @Size(max = 128, message = "feature names are limited to 128 characters")
        String name,
        @NotNull(message = "a feature needs a type: " + Feature.TYPES)
        @Pattern(regexp = Feature.TYPES, message = "type must be one of " + Feature.TYPES)
        String type) {

    /** The value types a signature (and a dataset schema) may use. */
    public static final String TYPES = "number|integer|string|boolean";
}
