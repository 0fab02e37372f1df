package io.flywheel.deploy.predictionlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.flywheel.events.Names;
import io.flywheel.events.PredictionLogged;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a prediction as the JSON of {@link PredictionLogged} (snake_case, ISO-8601 time), with
 * Jackson's streaming generator instead of data binding: the prediction log writes one per answer,
 * and this is several times cheaper. The contract's checks still hold: request id, version and
 * latency are checked on every prediction, the model name once per model (it comes from the registry).
 * A test compares the output with the record's own JSON. Confined to one thread (it reuses a buffer).
 *
 * <p>What one prediction costs here is paid per answer on the sender thread, so the fixed parts are
 * done once: one generator writes every prediction (root values without a separator, flushed into the
 * reused buffer after each), the field names are pre-encoded (the contract's, and the features' names,
 * which repeat from one prediction to the next), and the time is formatted once per millisecond.
 */
public final class PredictionEncoder {

    private static final SerializedString REQUEST_ID = new SerializedString("request_id");
    private static final SerializedString MODEL = new SerializedString("model");
    private static final SerializedString VERSION = new SerializedString("version");
    private static final SerializedString ENVIRONMENT = new SerializedString("environment");
    private static final SerializedString INPUTS = new SerializedString("inputs");
    private static final SerializedString OUTPUT = new SerializedString("output");
    private static final SerializedString LATENCY_MS = new SerializedString("latency_ms");
    private static final SerializedString TIME = new SerializedString("time");
    /** Feature names kept pre-encoded, at most (they come from registered signatures: a few per model). */
    static final int MAX_NAMES = 4096;
    /** A fresh generator now and then, so nothing in it grows with the number of predictions written. */
    private static final int GENERATOR_USES = 1 << 16;

    private final JsonFactory factory;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(2048);
    private final Set<String> checkedModels = ConcurrentHashMap.newKeySet();
    private final Map<String, SerializedString> names = new HashMap<>();
    private JsonGenerator generator;
    private int uses;
    private long timeMillis = Long.MIN_VALUE;
    private String timeText;

    public PredictionEncoder(JsonFactory factory) {
        this.factory = factory;
    }

    /** @throws IllegalArgumentException when the prediction breaks the PredictionLogged contract */
    public byte[] encode(LoggedPrediction p) {
        check(p);
        buffer.reset();
        try {
            JsonGenerator json = generator();
            json.writeStartObject();
            json.writeFieldName(REQUEST_ID);
            json.writeString(p.requestId());
            json.writeFieldName(MODEL);
            json.writeString(p.model());
            json.writeFieldName(VERSION);
            json.writeNumber(p.version());
            json.writeFieldName(ENVIRONMENT);
            json.writeString(p.environment());
            json.writeFieldName(INPUTS);
            json.writeStartObject();
            for (Map.Entry<String, Object> input : p.inputs().entrySet()) {
                json.writeFieldName(name(input.getKey()));
                value(json, input.getValue());
            }
            json.writeEndObject();
            json.writeFieldName(OUTPUT);
            value(json, p.output());
            json.writeFieldName(LATENCY_MS);
            json.writeNumber(p.latencyMs());
            json.writeFieldName(TIME);
            json.writeString(time(p.epochMillis()));
            json.writeEndObject();
            json.flush();
        } catch (IOException | RuntimeException e) {
            // the generator is in the middle of a value: start the next prediction on a new one
            generator = null;
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
        return buffer.toByteArray();
    }

    /** The ISO-8601 text of a time in epoch milliseconds ({@link Instant#toString}), formatted once per millisecond. */
    public String time(long epochMillis) {
        if (epochMillis != timeMillis || timeText == null) {
            timeText = Instant.ofEpochMilli(epochMillis).toString();
            timeMillis = epochMillis;
        }
        return timeText;
    }

    private JsonGenerator generator() throws IOException {
        if (generator == null || ++uses >= GENERATOR_USES) {
            if (generator != null) {
                generator.close();
            }
            generator = factory.createGenerator(buffer);
            // one JSON document per prediction: nothing between them
            generator.setRootValueSeparator(null);
            uses = 0;
        }
        return generator;
    }

    private SerializableString name(String name) {
        SerializedString encoded = names.get(name);
        if (encoded == null) {
            encoded = new SerializedString(name);
            if (names.size() < MAX_NAMES) {
                names.put(name, encoded);
            }
        }
        return encoded;
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

    private void value(JsonGenerator json, Object value) throws IOException {
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
                    json.writeFieldName(name(String.valueOf(e.getKey())));
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
