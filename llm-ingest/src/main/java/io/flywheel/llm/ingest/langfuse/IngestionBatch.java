package io.flywheel.llm.ingest.langfuse;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;
import io.flywheel.llm.ingest.JsonValues;
import io.flywheel.llm.ingest.Mapped;
import io.flywheel.llm.ingest.Timestamps;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Langfuse's {@code POST /api/public/ingestion} batch → event records and the 207 answer.
 *
 * <p>Events are mapped in the order Langfuse's server processes them (creates first, then
 * {@code *-update} events, each group by envelope timestamp), and each record's {@code receivedAt}
 * is the request's time plus its place in that order in nanoseconds: the v3 SDK sends a trace's
 * create and its partial updates in one batch, and "a later receivedAt wins" then settles them as
 * Langfuse would. Only events that are invalid by Langfuse's schema are errors: any error makes the
 * v3 SDK resend the whole batch.
 */
public final class IngestionBatch {
    private static final String INVALID = "Invalid request data";

    private IngestionBatch() {
    }

    /**
     * Langfuse's POST /api/public/ingestion envelope {batch:[...], metadata?}. Throws
     * IllegalArgumentException when the envelope itself is wrong (not JSON, batch not an array).
     */
    public static IngestionResult read(String project, byte[] body, Instant receivedAt) {
        JsonNode envelope;
        try {
            envelope = JsonValues.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body must be JSON: {\"batch\": [events...]}");
        }
        if (envelope == null || !envelope.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object: {\"batch\": [events...]}");
        }
        JsonNode batch = envelope.get("batch");
        if (batch == null || !batch.isArray()) {
            throw new IllegalArgumentException("batch must be an array of events");
        }

        List<Event> events = new ArrayList<>();
        List<IngestionResult.Failure> errors = new ArrayList<>();
        for (JsonNode node : batch) {
            try {
                events.add(Event.of(node));
            } catch (InvalidEvent e) {
                errors.add(failure(node.isObject() && node.path("id").isTextual() ? node.get("id").textValue() : null, e));
            }
        }
        events.sort(Comparator.comparing(Event::isUpdate).thenComparing(Event::timestamp));

        EventMapping mapping = new EventMapping(project);
        List<TraceUpserted> traces = new ArrayList<>();
        List<ObservationUpserted> observations = new ArrayList<>();
        List<ScoreUpserted> scores = new ArrayList<>();
        List<IngestionResult.Success> successes = new ArrayList<>();
        long order = 0;
        for (Event event : events) {
            Instant at = receivedAt.plusNanos(order++);
            Body eventBody = new Body(event.body());
            Instant time = event.timestamp();
            try {
                switch (event.type()) {
                    case "trace-create" -> traces.add(mapping.trace(eventBody, event.id(), time, at));
                    case "score-create" -> scores.add(mapping.score(eventBody, event.id(), time, at));
                    case "span-create", "generation-create", "event-create", "agent-create", "tool-create", "chain-create",
                            "retriever-create", "evaluator-create", "embedding-create", "guardrail-create" ->
                            observations.add(mapping.observation(observationType(event.type()), true, eventBody, time, at));
                    case "span-update", "generation-update" ->
                            observations.add(mapping.observation(observationType(event.type()), false, eventBody, time, at));
                    case "observation-create" -> observations.add(mapping.legacyObservation(true, eventBody, time, at));
                    case "observation-update" -> observations.add(mapping.legacyObservation(false, eventBody, time, at));
                    case "sdk-log" -> {
                        // the SDK's own log lines: accepted and dropped, as Langfuse's server does
                    }
                    case "dataset-run-item-create" ->
                            throw new InvalidEvent("dataset-run-item-create is internal to Langfuse; use POST /api/public/dataset-run-items");
                    default -> throw new InvalidEvent("unknown event type " + event.type());
                }
                successes.add(new IngestionResult.Success(event.id(), 201));
            } catch (InvalidEvent e) {
                errors.add(failure(event.id(), e));
            }
        }
        return new IngestionResult(new Mapped(traces, observations, scores), successes, errors);
    }

    /** span-create → SPAN, generation-update → GENERATION, agent-create → AGENT, ... */
    private static String observationType(String eventType) {
        return eventType.substring(0, eventType.indexOf('-')).toUpperCase(Locale.ROOT);
    }

    private static IngestionResult.Failure failure(String id, InvalidEvent e) {
        return new IngestionResult.Failure(id, 400, INVALID, e.getMessage());
    }

    /** An envelope {id, type, timestamp, body, metadata?} whose own fields are valid. */
    private record Event(String id, String type, Instant timestamp, JsonNode body) {

        static Event of(JsonNode node) {
            if (!node.isObject()) {
                throw new InvalidEvent("each event must be an object {id, type, timestamp, body}");
            }
            Body envelope = new Body(node);
            String id = envelope.requiredId("id");
            String type = envelope.string("type");
            if (type == null) {
                throw new InvalidEvent("type is required");
            }
            Instant timestamp = envelope.time("timestamp");
            if (timestamp == null) {
                throw new InvalidEvent("timestamp is required");
            }
            JsonNode body = node.get("body");
            if (body == null || !body.isObject()) {
                throw new InvalidEvent("body must be an object");
            }
            return new Event(id, type, timestamp, body);
        }

        boolean isUpdate() {
            return type.endsWith("-update");
        }
    }
}
