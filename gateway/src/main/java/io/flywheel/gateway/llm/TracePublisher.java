package io.flywheel.gateway.llm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceBatch;
import io.flywheel.events.TraceUpserted;
import io.flywheel.llm.ingest.Mapped;
import io.flywheel.readiness.KafkaProbe;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes what Langfuse's clients sent, mapped to {@link TraceUpserted}, {@link ObservationUpserted}
 * and {@link ScoreUpserted}, to {@code flywheel.traces} (channel {@code traces-out}): binary-mode
 * CloudEvents, a {@link TraceBatch} per key (the records' key(): project/trace), so a trace's records
 * stay in order on one partition. The Uni completes when the broker has acknowledged every record (acks=all).
 * Records are upserts that merge by id, so a client's retry publishing some of them again is harmless.
 */
@ApplicationScoped
public class TracePublisher {

    private static final int IN_FLIGHT = 128;

    private final MutinyEmitter<String> out;
    private final ObjectWriter json;
    private final KafkaProbe kafka;

    public TracePublisher(@Channel("traces-out") MutinyEmitter<String> out, ObjectMapper json, @Readiness KafkaProbe kafka) {
        this.out = out;
        // a field a client did not send is left out rather than written as null (the reader takes the two
        // alike): most of a span's fields are unset, and every byte is written, compressed, stored by Kafka
        // and read again; a null inside a map (a client's metadata) is kept as sent
        this.json = json.copy().setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS)).writer();
        this.kafka = kafka;
    }

    /** Whether the readiness probe last found the broker answering. */
    public boolean brokerUp() {
        return kafka.isUp();
    }

    /**
     * The records as messages: one {@link TraceBatch} per key, in the order the keys first appear, each
     * holding that key's traces, then observations, then scores. A trace's spans exported together
     * are one Kafka record, not one each.
     */
    List<Message<String>> messages(Mapped mapped) {
        Map<String, Group> byKey = new LinkedHashMap<>();
        for (TraceUpserted trace : mapped.traces()) {
            byKey.computeIfAbsent(trace.key(), k -> new Group(trace.receivedAt())).traces.add(trace);
        }
        for (ObservationUpserted observation : mapped.observations()) {
            byKey.computeIfAbsent(observation.key(), k -> new Group(observation.receivedAt())).observations.add(observation);
        }
        for (ScoreUpserted score : mapped.scores()) {
            byKey.computeIfAbsent(score.key(), k -> new Group(score.receivedAt())).scores.add(score);
        }
        List<Message<String>> messages = new ArrayList<>(byKey.size());
        byKey.forEach((key, g) -> messages.add(message(new TraceBatch(g.traces, g.observations, g.scores), key, g.receivedAt)));
        return messages;
    }

    private static final class Group {
        final Instant receivedAt;
        final List<TraceUpserted> traces = new ArrayList<>();
        final List<ObservationUpserted> observations = new ArrayList<>();
        final List<ScoreUpserted> scores = new ArrayList<>();

        Group(Instant receivedAt) {
            this.receivedAt = receivedAt;
        }
    }

    /** Sends every record; the count once the broker acknowledged them all, a failure if any send failed. */
    public Uni<Integer> publish(Mapped mapped) {
        List<Message<String>> messages = messages(mapped);
        if (messages.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(messages)
                .onItem().transformToUni(out::sendMessage).merge(IN_FLIGHT)
                .collect().last().replaceWith(messages.size());
    }

    private Message<String> message(TraceBatch batch, String key, Instant time) {
        String payload;
        try {
            payload = json.writeValueAsString(batch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a mapped record failed to serialise", e);
        }
        return Message.of(payload)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(UUID.randomUUID().toString())
                        .withType(TraceBatch.TYPE)
                        .withSubject(key)
                        .withTimestamp((time == null ? Instant.now() : time).atZone(ZoneOffset.UTC))
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
