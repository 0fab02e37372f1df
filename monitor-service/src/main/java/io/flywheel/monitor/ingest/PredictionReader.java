package io.flywheel.monitor.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.flywheel.events.PredictionLogged;

import java.io.IOException;

/** Turns a record of {@code flywheel.inference} into a {@link PredictionLogged}, or says why it can't. */
public final class PredictionReader {

    private final ObjectReader predictions;

    public PredictionReader(ObjectMapper json) {
        // feature values are mostly doubles: JDK's Double.parseDouble was 8 % of the ingest path's CPU (JFR)
        this.predictions = json.copy().enable(JsonParser.Feature.USE_FAST_DOUBLE_PARSER).readerFor(PredictionLogged.class);
    }

    public PredictionLogged read(String cloudEventType, String payload) {
        if (cloudEventType == null) {
            throw new MalformedEventException("not a CloudEvent: the ce_type header is missing");
        }
        if (!PredictionLogged.TYPE.equals(cloudEventType)) {
            throw new MalformedEventException("unexpected event type " + cloudEventType + ", expected " + PredictionLogged.TYPE);
        }
        if (payload == null || payload.isBlank()) {
            throw new MalformedEventException("empty payload");
        }
        try {
            return predictions.readValue(payload);
        } catch (ValueInstantiationException e) {
            // the record's own contract check failed: its message says which field and why
            throw new MalformedEventException("invalid prediction: " + e.getCause().getMessage());
        } catch (IOException e) {
            throw new MalformedEventException("payload is not a prediction: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
