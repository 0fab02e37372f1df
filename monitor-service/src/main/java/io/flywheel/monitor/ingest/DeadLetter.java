package io.flywheel.monitor.ingest;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.commit.CheckpointMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Sends a record the monitor can't use to the dead-letter topic (the channel's nack) with its reason. */
final class DeadLetter {

    private DeadLetter() {
    }

    static Uni<Void> send(Message<String> message, String reason) {
        // the offset moves on with the state unchanged, so the record is not dead-lettered again after a restart
        CheckpointMetadata<StreamCheckpoint> checkpoint = CheckpointMetadata.fromMessage(message);
        if (checkpoint != null) {
            checkpoint.transform(() -> StreamCheckpoint.of(StreamState.EMPTY), current -> StreamCheckpoint.of(current.state()));
        }
        return Uni.createFrom().completionStage(message.nack(new MalformedEventException(reason)));
    }
}
