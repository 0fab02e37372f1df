package io.flywheel.monitor.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Sends the monitor's verdicts to {@code flywheel.monitor} as binary CloudEvents keyed by model.
 * The id is derived from the change it reports, so a change sent again after a crash carries the
 * same id and consumers drop the repeat.
 */
@ApplicationScoped
public class MonitorEvents {

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;

    public MonitorEvents(@Channel("monitor-events") MutinyEmitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    public Uni<Void> send(String id, String type, String model, Object payload) {
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        Message<String> message = Message.of(body)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(id)
                        .withType(type)
                        .withSubject(model)
                        .withTimestamp(ZonedDateTime.now(ZoneOffset.UTC))
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(model).build());
        return emitter.sendMessage(message);
    }
}
