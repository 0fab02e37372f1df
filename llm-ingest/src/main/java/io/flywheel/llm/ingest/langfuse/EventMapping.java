package io.flywheel.llm.ingest.langfuse;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;
import io.flywheel.llm.ingest.Environments;
import io.flywheel.llm.ingest.JsonValues;
import io.flywheel.llm.ingest.Usage;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One ingestion event's body → one record, with the validation and normalisation Langfuse's server applies. */
final class EventMapping {
    private static final Set<String> LEGACY_TYPES = Set.of("GENERATION", "SPAN", "EVENT");

    private final String project;

    EventMapping(String project) {
        this.project = project;
    }

    /**
     * {@code trace-create}, also what v3's {@code trace.update()} sends: only the changed fields.
     * {@code body.id} is optional in Langfuse's schema; without it the envelope id names the trace,
     * so a retried batch upserts the same trace instead of making a second one.
     */
    TraceUpserted trace(Body body, String envelopeId, Instant eventTime, Instant receivedAt) {
        String id = body.id("id");
        Instant timestamp = body.time("timestamp");
        try {
            return new TraceUpserted(project, id != null ? id : envelopeId, timestamp != null ? timestamp : eventTime,
                    body.string("name", 1000), body.string("userId"), body.string("sessionId"), body.string("release"),
                    body.string("version"), Environments.normalise(body.string("environment")), body.strings("tags"),
                    body.bool("public"), body.json("input"), body.json("output"), JsonValues.metadata(body.json("metadata")),
                    receivedAt);
        } catch (IllegalArgumentException e) {
            throw new InvalidEvent(e.getMessage());
        }
    }

    /**
     * Any observation event. {@code type} is the observation type its event type implies (null for a
     * legacy {@code observation-update} that does not say); {@code create} falls back to the event's
     * time for a missing start time. Generation fields are read for every type but SPAN and EVENT,
     * as Langfuse's schemas do (agent, tool, ... events have the generation body).
     */
    ObservationUpserted observation(String type, boolean create, Body body, Instant eventTime, Instant receivedAt) {
        String id = body.requiredId("id");
        boolean generationFields = type == null || !(type.equals("SPAN") || type.equals("EVENT"));
        Instant startTime = body.time("startTime");
        if (startTime == null && create) {
            startTime = eventTime;
        }
        Instant endTime = "EVENT".equals(type) ? null : body.time("endTime");
        String level = body.oneOf("level", ObservationUpserted.LEVELS);

        Instant completionStartTime = null;
        String model = null;
        Map<String, Object> modelParameters = null;
        Map<String, Long> usageDetails = null;
        Map<String, Double> costDetails = null;
        String promptName = null;
        Integer promptVersion = null;
        if (generationFields) {
            completionStartTime = body.time("completionStartTime");
            model = body.string("model");
            modelParameters = body.object("modelParameters");
            Object usage = body.json("usage");
            usageDetails = Usage.details(body.json("usageDetails"));
            if (usageDetails == null) {
                usageDetails = Usage.legacyDetails(usage);
            }
            costDetails = Usage.costs(body.json("costDetails"));
            if (costDetails == null) {
                costDetails = Usage.legacyCosts(usage);
            }
            promptName = body.string("promptName");
            promptVersion = body.integer("promptVersion");
            if ((promptName == null) != (promptVersion == null)) {
                throw new InvalidEvent("promptName and promptVersion go together: send both or neither");
            }
        }
        try {
            return new ObservationUpserted(project, id, body.id("traceId"), type, body.id("parentObservationId"),
                    body.string("name"), startTime, endTime, completionStartTime, model, modelParameters, body.json("input"),
                    body.json("output"), JsonValues.metadata(body.json("metadata")), level, body.string("statusMessage"),
                    body.string("version"), Environments.normalise(body.string("environment")), usageDetails, costDetails,
                    promptName, promptVersion, receivedAt);
        } catch (IllegalArgumentException e) {
            throw new InvalidEvent(e.getMessage());
        }
    }

    /** Legacy {@code observation-create/update}: the type is in the body (GENERATION, SPAN or EVENT). */
    ObservationUpserted legacyObservation(boolean create, Body body, Instant eventTime, Instant receivedAt) {
        String type = body.string("type");
        if (type != null) {
            type = type.toUpperCase(Locale.ROOT);
            if (!LEGACY_TYPES.contains(type)) {
                throw new InvalidEvent("type must be one of " + new java.util.TreeSet<>(LEGACY_TYPES) + ", was " + body.string("type"));
            }
        } else if (create) {
            throw new InvalidEvent("type is required: GENERATION, SPAN or EVENT");
        }
        return observation(type, create, body, eventTime, receivedAt);
    }

    /**
     * {@code score-create}, checked as Langfuse's validateAndInflateScore does: a number means NUMERIC
     * and a string CATEGORICAL when no data type is given; BOOLEAN takes 0 or 1 and gets "True" or
     * "False" as its string value. Without {@code body.id} the envelope id names the score (retry-safe).
     */
    ScoreUpserted score(Body body, String envelopeId, Instant eventTime, Instant receivedAt) {
        String id = body.id("id");
        String name = body.string("name");
        if (name == null || name.isBlank()) {
            throw new InvalidEvent("name is required");
        }
        var value = body.raw("value");
        if (value == null) {
            throw new InvalidEvent("value is required: a number or a string");
        }
        if (!value.isNumber() && !value.isTextual()) {
            throw new InvalidEvent("value must be a number or a string");
        }
        String dataType = body.oneOf("dataType", ScoreUpserted.DATA_TYPES);
        if (dataType == null) {
            dataType = value.isNumber() ? "NUMERIC" : "CATEGORICAL";
        }
        Double number = null;
        String text = null;
        switch (dataType) {
            case "NUMERIC" -> number = requireNumber(value, dataType);
            case "BOOLEAN" -> {
                number = requireNumber(value, dataType);
                if (number != 0 && number != 1) {
                    throw new InvalidEvent("a BOOLEAN score's value must be 0 or 1, was " + value);
                }
                text = number == 1 ? "True" : "False";
            }
            default -> {
                if (!value.isTextual()) {
                    throw new InvalidEvent("a " + dataType + " score's value must be a string");
                }
                text = value.textValue();
                if (dataType.equals("TEXT") && (text.isEmpty() || text.length() > 500)) {
                    throw new InvalidEvent("a TEXT score's value must be 1 to 500 characters");
                }
            }
        }
        String traceId = body.id("traceId");
        String observationId = body.id("observationId");
        String sessionId = body.id("sessionId");
        String datasetRunId = body.id("datasetRunId");
        int targets = (traceId != null ? 1 : 0) + (sessionId != null ? 1 : 0) + (datasetRunId != null ? 1 : 0);
        if (targets != 1) {
            throw new InvalidEvent("a score needs exactly one target: traceId (with observationId or not), sessionId or datasetRunId");
        }
        if (observationId != null && traceId == null) {
            throw new InvalidEvent("observationId needs the traceId of its trace");
        }
        String source = body.oneOf("source", ScoreUpserted.SOURCES);
        try {
            return new ScoreUpserted(project, id != null ? id : envelopeId, name, traceId, observationId, sessionId,
                    datasetRunId, number, text, dataType, source, body.string("comment"),
                    JsonValues.metadata(body.json("metadata")), body.string("configId"),
                    Environments.normalise(body.string("environment")), eventTime, receivedAt);
        } catch (IllegalArgumentException e) {
            throw new InvalidEvent(e.getMessage());
        }
    }

    private static Double requireNumber(com.fasterxml.jackson.databind.JsonNode value, String dataType) {
        if (!value.isNumber()) {
            throw new InvalidEvent("a " + dataType + " score's value must be a number");
        }
        return value.doubleValue();
    }
}
