package io.flywheel.llm.ingest.otlp;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.llm.ingest.Mapped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** OTLP/HTTP trace exports (Langfuse's {@code /api/public/otel/v1/traces}) → trace and observation records. */
public final class OtlpTraces {

    private OtlpTraces() {
    }

    /**
     * An OTLP/HTTP ExportTraceServiceRequest body, already un-gzipped, as OTLP/JSON (json=true) or protobuf.
     * Throws IllegalArgumentException whose message says what to fix when the body as a whole cannot be read.
     * A span that cannot be mapped (bad ids, no start time) is left out, counted and described in the result.
     */
    public static OtlpResult read(String project, byte[] body, boolean json, Instant receivedAt) {
        if (body == null || body.length == 0) {
            // an empty protobuf message is an empty request; an empty JSON body is not JSON
            if (json) {
                throw new IllegalArgumentException("the body must be OTLP/JSON: {\"resourceSpans\": [...]}");
            }
            return new OtlpResult(Mapped.empty(), 0, List.of());
        }
        Span.Decoded decoded = json ? OtlpJson.read(body) : OtlpProtobuf.read(body);
        List<String> errors = new ArrayList<>(decoded.errors());
        List<ObservationUpserted> observations = new ArrayList<>();
        TraceMerge traces = new TraceMerge();
        for (Span span : decoded.spans()) {
            try {
                SpanMapping.Result mapped = SpanMapping.map(project, span, receivedAt);
                observations.add(mapped.observation());
                traces.add(mapped.trace());
            } catch (Span.BadSpan e) {
                errors.add(span.where() + ": " + e.getMessage());
            }
        }
        return new OtlpResult(new Mapped(traces.traces(project, receivedAt), observations, List.of()), errors.size(), errors);
    }
}
