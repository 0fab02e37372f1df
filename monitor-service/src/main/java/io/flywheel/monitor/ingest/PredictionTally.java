package io.flywheel.monitor.ingest;

import io.quarkus.smallrye.reactivemessaging.kafka.CheckpointEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.HashMap;
import java.util.Map;

/**
 * Predictions counted per model version on one partition, stored with that partition's offset.
 * Immutable in use: {@link #plus} returns a new tally, because the checkpoint store may still be
 * saving the previous one (LOCAL-STACK.md: mutating it in place counts records twice after a crash).
 */
@Entity
@Table(name = "prediction_tally")
public class PredictionTally extends CheckpointEntity {

    /** Key: {@code model@version}. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Long> counts = new HashMap<>();

    public PredictionTally plus(String model, int version) {
        PredictionTally next = new PredictionTally();
        next.counts = new HashMap<>(counts);
        next.counts.merge(model + "@" + version, 1L, Long::sum);
        return next;
    }
}
