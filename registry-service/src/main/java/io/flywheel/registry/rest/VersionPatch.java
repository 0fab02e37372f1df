package io.flywheel.registry.rest;

import io.flywheel.registry.Lineage;
import io.flywheel.registry.ModelFormat;
import io.flywheel.registry.Signature;
import io.flywheel.registry.VersionMetadata;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * Body of {@code PATCH .../versions/{v}} (JSON Merge Patch: absent leaves a field alone, a tag set
 * to null is removed). Description and tags may change on any version; the rest only on drafts.
 */
public record VersionPatch(
        @Size(max = 4000, message = "description is limited to 4000 characters")
        String description,
        @Size(max = 64, message = "at most 64 tags")
        Map<String, String> tags,
        @Pattern(regexp = VersionMetadata.TOKEN, message = "framework must match " + VersionMetadata.TOKEN)
        String framework,
        @Pattern(regexp = ModelFormat.ACCEPTED, message = ModelFormat.MESSAGE)
        String format,
        @Valid Signature signature,
        @Size(max = 256, message = "at most 256 metrics")
        Map<String, Double> metrics,
        @Size(max = 256, message = "at most 256 params")
        Map<String, Object> params,
        @Valid Lineage lineage) {
}
