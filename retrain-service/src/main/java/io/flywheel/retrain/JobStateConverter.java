package io.flywheel.retrain;

import io.flywheel.retrain.job.JobState;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Job states are stored by their API names ({@code preparing-data}), as the migrations' indexes expect. */
@Converter
public class JobStateConverter implements AttributeConverter<JobState, String> {
    @Override
    public String convertToDatabaseColumn(JobState state) {
        return state == null ? null : state.id();
    }

    @Override
    public JobState convertToEntityAttribute(String id) {
        return id == null ? null : JobState.of(id);
    }
}
