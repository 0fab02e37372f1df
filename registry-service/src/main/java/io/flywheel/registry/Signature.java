package io.flywheel.registry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** What a model version takes and returns: its input features in order, and its output. */
public record Signature(
        @NotEmpty(message = "signature.inputs needs at least one feature")
        @Size(max = 10000, message = "signature.inputs is limited to 10000 features")
        List<@Valid @NotNull(message = "a signature input can't be null") Feature> inputs,
        @Valid
        @NotNull(message = "signature.output is required")
        Feature output) {
}
