package io.flywheel.gateway.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.FeedbackReceived;
import io.flywheel.events.PredictionLogged;
import io.flywheel.gateway.config.GatewayConfig;
import io.flywheel.problem.DependencyUnavailableException;
import io.flywheel.readiness.KafkaProbe;
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
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.resteasy.reactive.RestResponse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * HTTP ingest for serving systems that don't speak Kafka: predictions to flywheel.inference,
 * labels to flywheel.feedback. A batch is a JSON array or JSON Lines. 202 means the broker has
 * acknowledged every record. With an {@code Idempotency-Key}, CloudEvent ids derive from the key
 * (consumers can drop a retried record), and a retry after success is answered from the database
 * without publishing again.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, IngestResource.NDJSON, IngestResource.JSONL})
public class IngestResource {

    static final String NDJSON = "application/x-ndjson";
    static final String JSONL = "application/jsonl";

    public record Accepted(int accepted, boolean replayed) {
    }

    /** How one kind of record becomes a CloudEvent. */
    private record Kind<T>(String name, Class<T> type, String cloudEventType, Function<T, String> key,
                           Function<T, Instant> time, MutinyEmitter<String> emitter) {
    }

    private static final int IN_FLIGHT = 128;

    private final ObjectMapper json;
    private final int maxRecords;
    private final Kind<PredictionLogged> predictions;
    private final Kind<FeedbackReceived> feedback;
    private final KafkaProbe kafka;

    public IngestResource(@Channel("predictions-out") MutinyEmitter<String> predictionsOut,
                          @Channel("feedback-out") MutinyEmitter<String> feedbackOut,
                          ObjectMapper json, GatewayConfig config, @Readiness KafkaProbe kafka) {
        this.kafka = kafka;
        this.json = json;
        this.maxRecords = config.ingest().maxRecords();
        this.predictions = new Kind<>("predictions", PredictionLogged.class, PredictionLogged.TYPE,
                PredictionLogged::model, PredictionLogged::time, predictionsOut);
        this.feedback = new Kind<>("feedback", FeedbackReceived.class, FeedbackReceived.TYPE,
                FeedbackReceived::model, FeedbackReceived::time, feedbackOut);
    }

    @POST
    @Path("predictions")
    public Uni<RestResponse<Accepted>> predictions(@HeaderParam("Idempotency-Key") String idempotencyKey,
                                                   @HeaderParam("Content-Type") String contentType, String body) {
        return ingest(predictions, idempotencyKey, contentType, body);
    }

    @POST
    @Path("feedback")
    public Uni<RestResponse<Accepted>> feedback(@HeaderParam("Idempotency-Key") String idempotencyKey,
                                                @HeaderParam("Content-Type") String contentType, String body) {
        return ingest(feedback, idempotencyKey, contentType, body);
    }

    private <T> Uni<RestResponse<Accepted>> ingest(Kind<T> kind, String idempotencyKey, String contentType, String body) {
        if (!kafka.isUp()) {
            // the broker is known to be down: say so now, rather than after every record's send has timed out
            throw new DependencyUnavailableException("broker", "Kafka can't be reached; nothing was published: retry later"
                    + " (with the same Idempotency-Key, if any)", null);
        }
        boolean jsonLines = contentType != null && (contentType.startsWith(NDJSON) || contentType.startsWith(JSONL));
        List<T> records = BatchParser.parse(json, body, jsonLines, kind.type(), maxRecords);
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return publish(kind, records, null).map(n -> RestResponse.accepted(new Accepted(n, false)));
        }
        if (idempotencyKey.length() > 200) {
            throw new jakarta.ws.rs.BadRequestException("Idempotency-Key is limited to 200 characters");
        }
        String key = kind.name() + ":" + idempotencyKey;
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.find(IngestBatch.class, key)))
                .chain(previous -> previous != null
                        ? Uni.createFrom().item(RestResponse.ok(new Accepted(previous.records, true)))
                        : publish(kind, records, key)
                        .call(n -> remember(key, kind.name(), n))
                        .map(n -> RestResponse.accepted(new Accepted(n, false))));
    }

    private <T> Uni<Integer> publish(Kind<T> kind, List<T> records, String idempotencyKey) {
        Multi<Void> sends = Multi.createFrom().range(0, records.size())
                .onItem().transformToUni(i -> kind.emitter().sendMessage(toMessage(kind, records.get(i), eventId(idempotencyKey, i))))
                .merge(IN_FLIGHT);
        return sends.collect().last().replaceWith(records.size());
    }

    private Uni<Void> remember(String key, String kind, int records) {
        IngestBatch batch = new IngestBatch();
        batch.idempotencyKey = key;
        batch.kind = kind;
        batch.records = records;
        batch.acceptedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.persist(batch)));
    }

    private static String eventId(String idempotencyKey, int index) {
        return idempotencyKey == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((idempotencyKey + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private <T> Message<String> toMessage(Kind<T> kind, T record, String eventId) {
        String payload;
        try {
            payload = json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a checked record failed to serialise", e);
        }
        return Message.of(payload)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(eventId)
                        .withType(kind.cloudEventType())
                        .withSubject(kind.key().apply(record))
                        .withTimestamp(kind.time().apply(record).atZone(ZoneOffset.UTC))
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(kind.key().apply(record)).build());
    }
}
