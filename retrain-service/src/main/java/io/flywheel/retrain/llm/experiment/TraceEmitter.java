package io.flywheel.retrain.llm.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Publishes experiments' traces to {@code flywheel.traces} (channel {@code traces-out}) exactly as the
 * gateway's ingestion does (gateway/llm/TracePublisher): binary-mode CloudEvents of the record's TYPE,
 * keyed by the record's key(), trace before generation before scores. The Uni completes once the broker
 * acknowledged every record. Records are upserts by id: publishing one again is harmless.
 */
@ApplicationScoped
public class TraceEmitter {

    private final MutinyEmitter<String> out;
    private final ObjectMapper json;

    public TraceEmitter(@Channel("traces-out") MutinyEmitter<String> out, ObjectMapper json) {
        this.out = out;
        this.json = json;
    }

    public Uni<Void> publish(ItemTrace trace) {
        List<Message<String>> messages = new ArrayList<>();
        messages.add(message(trace.trace(), TraceUpserted.TYPE, trace.trace().key(), trace.trace().receivedAt()));
        messages.add(message(trace.generation(), ObservationUpserted.TYPE, trace.generation().key(), trace.generation().receivedAt()));
        for (ScoreUpserted s : trace.scores()) {
            messages.add(message(s, ScoreUpserted.TYPE, s.key(), s.receivedAt()));
        }
        return send(messages);
    }

    public Uni<Void> publish(List<ScoreUpserted> scores) {
        return send(scores.stream().map(s -> message(s, ScoreUpserted.TYPE, s.key(), s.receivedAt())).toList());
    }

    private Uni<Void> send(List<Message<String>> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(messages).onItem().transformToUni(out::sendMessage).concatenate().collect().last().replaceWithVoid();
    }

    private Message<String> message(Object record, String type, String key, Instant time) {
        String payload;
        try {
            payload = json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a trace record failed to serialise", e);
        }
        return Message.of(payload)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(UUID.randomUUID().toString())
                        .withType(type)
                        .withSubject(key)
                        .withTimestamp((time == null ? Instant.now() : time).atZone(ZoneOffset.UTC))
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
