package io.flywheel.gateway.dashboard;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The loop's events as they happen, for the dashboard's live feed: every CloudEvent on the control
 * topics (registry, deploy, monitor, retrain), read by this gateway instance from the newest offset,
 * kept in a short buffer for new viewers and broadcast to those watching.
 */
@ApplicationScoped
public class LoopFeed {

    /** One line of the feed. */
    public record LoopEvent(Instant time, String topic, String type, String subject, String data) {
        /** The readable part of a type: io.flywheel.registry.model.created.v1 -> registry model created */
        public String label() {
            String t = type == null ? "" : type.replaceFirst("^io\\.flywheel\\.", "").replaceFirst("\\.v\\d+$", "");
            return t.replace('.', ' ').replace('-', ' ');
        }
    }

    private static final int KEPT = 50;

    private final Deque<LoopEvent> recent = new ArrayDeque<>();
    private final BroadcastProcessor<LoopEvent> live = BroadcastProcessor.create();

    @Incoming("loop-events")
    public Uni<Void> consume(Message<String> message) {
        IncomingCloudEventMetadata<?> cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        String topic = message.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getTopic).orElse("");
        if (cloudEvent != null) {
            String data = message.getPayload() == null ? "" : message.getPayload();
            LoopEvent event = new LoopEvent(cloudEvent.getTimeStamp().map(java.time.ZonedDateTime::toInstant).orElse(Instant.now()), topic,
                    cloudEvent.getType(), cloudEvent.getSubject().orElse(""), data.length() > 300 ? data.substring(0, 300) + "…" : data);
            synchronized (recent) {
                recent.addFirst(event);
                while (recent.size() > KEPT) {
                    recent.removeLast();
                }
            }
            live.onNext(event);
        }
        return Uni.createFrom().completionStage(message.ack());
    }

    public List<LoopEvent> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public Multi<LoopEvent> live() {
        return live;
    }
}
