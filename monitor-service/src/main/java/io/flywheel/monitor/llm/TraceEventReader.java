package io.flywheel.monitor.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceBatch;
import io.flywheel.events.TraceUpserted;
import io.flywheel.monitor.ingest.MalformedEventException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a record of {@code flywheel.traces} (binary CloudEvent: type and id headers, JSON data) into its
 * events, or says why it can't: one {@link TraceUpserted}, {@link ObservationUpserted} or
 * {@link ScoreUpserted}, or a {@link TraceBatch} of them (each event of a batch shares the record's
 * dedupe key).
 */
public final class TraceEventReader {

    private static final Map<String, Class<?>> TYPES = Map.of(
            TraceBatch.TYPE, TraceBatch.class,
            TraceUpserted.TYPE, TraceUpserted.class,
            ObservationUpserted.TYPE, ObservationUpserted.class,
            ScoreUpserted.TYPE, ScoreUpserted.class);

    private final ObjectMapper json;

    public TraceEventReader(ObjectMapper json) {
        this.json = json;
    }

    /** The record's events; {@code source} tells its events from those of another record with the same id. */
    public List<Received> read(String cloudEventType, String cloudEventId, String payload, Object source) {
        if (cloudEventType == null || cloudEventId == null || cloudEventId.isBlank()) {
            throw new MalformedEventException("not a CloudEvent: the ce_type or ce_id header is missing");
        }
        Class<?> type = TYPES.get(cloudEventType);
        if (type == null) {
            throw new MalformedEventException("unexpected event type " + cloudEventType + ", expected one of " + new java.util.TreeSet<>(TYPES.keySet()));
        }
        if (payload == null || payload.isBlank()) {
            throw new MalformedEventException("empty payload");
        }
        Object event;
        try {
            event = json.readValue(payload, type);
        } catch (ValueInstantiationException e) {
            throw new MalformedEventException("invalid " + type.getSimpleName() + ": " + e.getCause().getMessage());
        } catch (IOException e) {
            throw new MalformedEventException("payload is not a " + type.getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (event == null) {
            throw new MalformedEventException("payload is null");
        }
        List<Object> events = event instanceof TraceBatch batch ? batch.events() : List.of(event);
        List<Received> read = new ArrayList<>(events.size());
        for (Object e : events) {
            if (e == null) {
                throw new MalformedEventException("invalid TraceBatch: an event is null");
            }
            String project = switch (e) {
                case TraceUpserted t -> t.project();
                case ObservationUpserted o -> o.project();
                case ScoreUpserted s -> s.project();
                default -> throw new IllegalStateException();
            };
            read.add(new Received(Received.key(project, cloudEventId), e, source));
        }
        return read;
    }
}
