package io.flywheel.monitor.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.PredictionLogged;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.commit.CheckpointMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Folds predictions from {@code flywheel.inference} into per-partition tallies that are saved with
 * their offsets. A record that can't be read is nacked: the dead-letter topic gets it with the
 * reason, and the consumer goes on.
 */
@ApplicationScoped
public class PredictionConsumer {

    private final PredictionReader reader;
    private final Counter accepted;
    private final Counter rejected;

    public PredictionConsumer(ObjectMapper json, MeterRegistry meters) {
        this.reader = new PredictionReader(json);
        this.accepted = meters.counter("flywheel.monitor.predictions", "outcome", "accepted");
        this.rejected = meters.counter("flywheel.monitor.predictions", "outcome", "dead-lettered");
    }

    @Incoming("predictions")
    public Uni<Void> consume(Message<String> message) {
        String type = message.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getType).orElse(null);
        PredictionLogged prediction;
        try {
            prediction = reader.read(type, message.getPayload());
        } catch (MalformedEventException e) {
            rejected.increment();
            Log.warnf("prediction dead-lettered: %s", e.getMessage());
            return Uni.createFrom().completionStage(message.nack(e));
        }
        CheckpointMetadata<PredictionTally> checkpoint = CheckpointMetadata.fromMessage(message);
        checkpoint.transform(new PredictionTally(), tally -> tally.plus(prediction.model(), prediction.version()));
        accepted.increment();
        return Uni.createFrom().completionStage(message.ack());
    }
}
