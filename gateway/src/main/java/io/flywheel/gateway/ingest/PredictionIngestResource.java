package io.flywheel.gateway.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.PredictionLogged;
import io.flywheel.gateway.config.GatewayConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.resteasy.reactive.RestResponse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * HTTP ingest of predictions for serving systems that don't speak Kafka. 202 means the broker has
 * acknowledged every record of the batch. With an {@code Idempotency-Key}, CloudEvent ids derive
 * from the key, so consumers can drop a retried record, and a retry after success is answered
 * from the database without publishing again.
 */
@Path("/api/v1/predictions")
public class PredictionIngestResource {

    public record Accepted(int accepted, boolean replayed) {
    }

    private static final int IN_FLIGHT = 128;

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;
    private final int maxRecords;

    public PredictionIngestResource(@Channel("predictions-out") MutinyEmitter<String> emitter, ObjectMapper json,
                                    GatewayConfig config) {
        this.emitter = emitter;
        this.json = json;
        this.maxRecords = config.ingest().maxRecords();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Accepted>> ingest(@HeaderParam("Idempotency-Key") String idempotencyKey, String body) {
        List<PredictionLogged> predictions = BatchParser.parse(json, body, PredictionLogged.class, maxRecords);
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return publish(predictions, null).map(n -> RestResponse.accepted(new Accepted(n, false)));
        }
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.find(IngestBatch.class, idempotencyKey)))
                .chain(previous -> previous != null
                        ? Uni.createFrom().item(RestResponse.ok(new Accepted(previous.records, true)))
                        : publish(predictions, idempotencyKey)
                        .call(n -> remember(idempotencyKey, n))
                        .map(n -> RestResponse.accepted(new Accepted(n, false))));
    }

    private Uni<Integer> publish(List<PredictionLogged> predictions, String idempotencyKey) {
        Multi<Void> sends = Multi.createFrom().range(0, predictions.size())
                .onItem().transformToUni(i -> emitter.sendMessage(toMessage(predictions.get(i), eventId(idempotencyKey, i))))
                .merge(IN_FLIGHT);
        return sends.collect().last().replaceWith(predictions.size());
    }

    private Uni<Void> remember(String idempotencyKey, int records) {
        IngestBatch batch = new IngestBatch();
        batch.idempotencyKey = idempotencyKey;
        batch.kind = "predictions";
        batch.records = records;
        batch.acceptedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.persist(batch)));
    }

    private static String eventId(String idempotencyKey, int index) {
        return idempotencyKey == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((idempotencyKey + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private Message<String> toMessage(PredictionLogged prediction, String eventId) {
        String payload;
        try {
            payload = json.writeValueAsString(prediction);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a checked prediction failed to serialise", e);
        }
        return Message.of(payload)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(eventId)
                        .withType(PredictionLogged.TYPE)
                        .withSubject(prediction.model())
                        .withTimestamp(prediction.time().atZone(ZoneOffset.UTC))
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(prediction.model()).build());
    }
}
