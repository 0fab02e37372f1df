package io.flywheel.registry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Where a model version comes from: the exact dataset versions it was trained on, the code commit,
 * the retrain job that produced it, and the version of the same model it was derived from.
 */
public record Lineage(
        @Size(max = 100, message = "lineage.dataset_versions is limited to 100 entries")
        List<@Valid @NotNull(message = "a dataset version can't be null") DatasetVersionRef> datasetVersions,
        @Valid
        CodeRef code,
        @Pattern(regexp = "[A-Za-z0-9._:-]{1,128}", message = "lineage.retrain_job must match [A-Za-z0-9._:-]{1,128}")
        String retrainJob,
        @Min(value = 1, message = "lineage.parent_version must be 1 or more")
        Integer parentVersion) {

    public static final Lineage NONE = new Lineage(List.of(), null, null, null);

    public List<DatasetVersionRef> datasetVersionsOrEmpty() {
        return datasetVersions == null ? List.of() : datasetVersions;
    }
}
