package io.flywheel.deploy.predictionlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.flywheel.events.Names;
import io.flywheel.events.PredictionLogged;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a prediction as the JSON of {@link PredictionLogged} (snake_case, ISO-8601 time), with
 * Jackson's streaming generator instead of data binding: the prediction log writes one per answer,
 * and this is several times cheaper. The contract's checks still hold: request id, version and
 * latency are checked on every prediction, the model name once per model (it comes from the registry).
 * A test compares the output with the record's own JSON. Confined to one thread (it reuses a buffer).
 */
public final class PredictionEncoder {

    private final JsonFactory factory;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(2048);
    private final Set<String> checkedModels = ConcurrentHashMap.newKeySet();

    public PredictionEncoder(JsonFactory factory) {
        this.factory = factory;
    }

    /** @throws IllegalArgumentException when the prediction breaks the PredictionLogged contract */
    public byte[] encode(LoggedPrediction p) {
        check(p);
        buffer.reset();
        try (JsonGenerator json = factory.createGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField("request_id", p.requestId());
            json.writeStringField("model", p.model());
            json.writeNumberField("version", p.version());
            json.writeStringField("environment", p.environment());
            json.writeFieldName("inputs");
            json.writeStartObject();
            for (Map.Entry<String, Object> input : p.inputs().entrySet()) {
                json.writeFieldName(input.getKey());
                value(json, input.getValue());
            }
            json.writeEndObject();
            json.writeFieldName("output");
            value(json, p.output());
            json.writeNumberField("latency_ms", p.latencyMs());
            json.writeStringField("time", Instant.ofEpochMilli(p.epochMillis()).toString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private void check(LoggedPrediction p) {
        if (p.requestId() == null || p.requestId().isBlank() || p.requestId().length() > 128) {
            throw new IllegalArgumentException("request_id is required (1 to 128 characters)");
        }
        if (p.version() < 1) {
            throw new IllegalArgumentException("version must be 1 or more, was " + p.version());
        }
        if (p.inputs() == null) {
            throw new IllegalArgumentException("inputs are required (an object of feature name to value)");
        }
        if (p.latencyMs() < 0 || Double.isNaN(p.latencyMs())) {
            throw new IllegalArgumentException("latency_ms must be 0 or more");
        }
        if (!checkedModels.contains(p.model())) {
            if (p.model() == null || !p.model().matches(Names.PATTERN)) {
                throw new IllegalArgumentException("model is required and must match " + Names.PATTERN);
            }
            checkedModels.add(p.model());
        }
    }

    private static void value(JsonGenerator json, Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String s -> json.writeString(s);
            case Boolean b -> json.writeBoolean(b);
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case Double d -> json.writeNumber(d);
            case Float f -> json.writeNumber(f);
            case BigDecimal d -> json.writeNumber(d);
            case BigInteger i -> json.writeNumber(i);
            case Short s -> json.writeNumber(s);
            case Map<?, ?> map -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    json.writeFieldName(String.valueOf(e.getKey()));
                    value(json, e.getValue());
                }
                json.writeEndObject();
            }
            case Iterable<?> list -> {
                json.writeStartArray();
                for (Object o : list) {
                    value(json, o);
                }
                json.writeEndArray();
            }
            default -> json.writeString(String.valueOf(value));
        }
    }
}
