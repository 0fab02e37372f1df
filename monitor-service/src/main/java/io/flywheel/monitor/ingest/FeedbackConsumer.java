package io.flywheel.monitor.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.flywheel.events.FeedbackReceived;
import io.flywheel.monitor.config.MonitorConfig;
import io.flywheel.monitor.reference.Catalog;
import io.flywheel.readiness.UntilAvailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.commit.CheckpointMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.io.IOException;

/**
 * Labels from {@code flywheel.feedback}, joined to their prediction by request id. A label whose
 * prediction is already in completes the pair here and is folded into this partition's quality
 * window (state and offset saved together, as for predictions); an earlier label waits in the join
 * table until its prediction arrives, or is counted and dropped after {@code monitor.join-wait}.
 */
@ApplicationScoped
public class FeedbackConsumer {

    private static final String CHANNEL = "feedback";

    private final ObjectMapper json;
    private final Catalog catalog;
    private final JoinStore joins;
    private final LiveWindows live;
    private final MonitorConfig config;
    private final Counter accepted;
    private final Counter rejected;

    public FeedbackConsumer(ObjectMapper json, Catalog catalog, JoinStore joins, LiveWindows live, MonitorConfig config,
                            MeterRegistry meters) {
        this.json = json;
        this.catalog = catalog;
        this.joins = joins;
        this.live = live;
        this.config = config;
        this.accepted = meters.counter("flywheel.monitor.labels", "outcome", "accepted");
        this.rejected = meters.counter("flywheel.monitor.labels", "outcome", "dead-lettered");
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(Message<String> message) {
        String type = message.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getType).orElse(null);
        FeedbackReceived label;
        try {
            label = read(type, message.getPayload());
        } catch (MalformedEventException e) {
            return reject(message, e.getMessage());
        }
        // the steps that need PostgreSQL wait for it instead of failing (readiness/UntilAvailable says why)
        Uni<Boolean> known = config.rejectUnknownModels()
                ? UntilAvailable.retry(CHANNEL, () -> catalog.isKnownFresh(label.model()))
                : Uni.createFrom().item(true);
        return known.chain(isKnown -> {
            if (!isKnown) {
                return reject(message, "unknown model '" + label.model() + "': the monitor has no reference or policy for it");
            }
            return UntilAvailable.retry(CHANNEL, () -> joins.label(label)).chain(joined -> {
                CheckpointMetadata<StreamCheckpoint> checkpoint = CheckpointMetadata.fromMessage(message);
                checkpoint.transform(() -> StreamCheckpoint.of(StreamState.EMPTY), current -> {
                    StreamState s = current.state();
                    if (joined.isPresent()) {
                        String key = StreamState.key(label.model(), joined.get().version());
                        s = Quality.fold(s, key, catalog.policy(label.model()).window(), joined.get());
                    }
                    live.publish(checkpoint.getTopicPartition().topic(), checkpoint.getTopicPartition().partition(), s);
                    return StreamCheckpoint.of(s);
                });
                accepted.increment();
                return Uni.createFrom().completionStage(message.ack());
            });
        });
    }

    private FeedbackReceived read(String type, String payload) {
        if (type == null) {
            throw new MalformedEventException("not a CloudEvent: the ce_type header is missing");
        }
        if (!FeedbackReceived.TYPE.equals(type)) {
            throw new MalformedEventException("unexpected event type " + type + ", expected " + FeedbackReceived.TYPE);
        }
        if (payload == null || payload.isBlank()) {
            throw new MalformedEventException("empty payload");
        }
        try {
            return json.readValue(payload, FeedbackReceived.class);
        } catch (ValueInstantiationException e) {
            throw new MalformedEventException("invalid label: " + e.getCause().getMessage());
        } catch (IOException e) {
            throw new MalformedEventException("payload is not a label: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private Uni<Void> reject(Message<String> message, String reason) {
        rejected.increment();
        Log.warnf("label dead-lettered: %s", reason);
        return DeadLetter.send(message, reason);
    }
}
