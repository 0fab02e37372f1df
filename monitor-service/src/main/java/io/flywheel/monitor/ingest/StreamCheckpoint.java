package io.flywheel.monitor.ingest;

import io.quarkus.smallrye.reactivemessaging.kafka.CheckpointEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One Kafka partition's processing state, stored with its offset by SmallRye Kafka's checkpoint
 * commit strategy (Hibernate Reactive store). Immutable in use: every record yields a new entity
 * around a new {@link StreamState}, because the store may still be saving the previous one
 * (deploy/local/README.md: mutating in place counts records twice after a crash).
 */
@Entity
@Table(name = "stream_checkpoint")
public class StreamCheckpoint extends CheckpointEntity {

    @JdbcTypeCode(SqlTypes.JSON)
    public StreamState state = StreamState.EMPTY;

    public static StreamCheckpoint of(StreamState state) {
        StreamCheckpoint c = new StreamCheckpoint();
        c.state = state;
        return c;
    }

    public StreamState state() {
        return state == null ? StreamState.EMPTY : state;
    }
}
