package io.flywheel.registry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** What a model version is registered with (the body of {@code POST .../versions}). */
public record VersionMetadata(
        @Size(max = 4000, message = "description is limited to 4000 characters")
        String description,
        @Pattern(regexp = VersionMetadata.TOKEN, message = "framework must match " + VersionMetadata.TOKEN)
        String framework,
        @Pattern(regexp = ModelFormat.ACCEPTED, message = ModelFormat.MESSAGE)
        String format,
        @Valid
        Signature signature,
        @Size(max = 256, message = "at most 256 metrics")
        Map<String, Double> metrics,
        @Size(max = 256, message = "at most 256 params")
        Map<String, Object> params,
        @Size(max = 64, message = "at most 64 tags")
        Map<String, String> tags,
        @Valid
        Lineage lineage,
        /* format external only: where the model is served */
        @Valid
        Endpoint endpoint) {

    /** Framework names: e.g. sklearn, xgboost, torch. */
    public static final String TOKEN = "[A-Za-z0-9._+-]{1,64}";
}
