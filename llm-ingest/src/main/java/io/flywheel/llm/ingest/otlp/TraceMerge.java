package io.flywheel.llm.ingest.otlp;

import io.flywheel.events.TraceUpserted;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace parts of one request's spans → one {@link TraceUpserted} per trace. The root span's
 * fields win, other spans fill what is still missing (they repeat the trace attributes that Langfuse's
 * SDKs propagate onto every span). A trace whose root is in another request still gets a record with
 * its environment and its earliest span's start, as Langfuse's "shallow" trace.
 */
final class TraceMerge {
    private final Map<String, SpanMapping.TracePart> byTrace = new LinkedHashMap<>();

    void add(SpanMapping.TracePart part) {
        byTrace.merge(part.traceId(), part, TraceMerge::merge);
    }

    List<TraceUpserted> traces(String project, Instant receivedAt) {
        return byTrace.values().stream()
                .map(t -> new TraceUpserted(project, t.traceId(), t.timestamp(), t.name(), t.userId(), t.sessionId(), t.release(),
                        t.version(), t.environment(), t.tags(), t.isPublic(), t.input(), t.output(), t.metadata(), receivedAt))
                .toList();
    }

    private static SpanMapping.TracePart merge(SpanMapping.TracePart seen, SpanMapping.TracePart next) {
        SpanMapping.TracePart first = next.root() && !seen.root() ? next : seen;
        SpanMapping.TracePart second = first == seen ? next : seen;
        Instant timestamp = first.root() ? first.timestamp() : earlier(first.timestamp(), second.timestamp());
        Map<String, Object> metadata = null;
        if (first.metadata() != null || second.metadata() != null) {
            metadata = new LinkedHashMap<>();
            if (second.metadata() != null) {
                metadata.putAll(second.metadata());
            }
            if (first.metadata() != null) {
                metadata.putAll(first.metadata());
            }
        }
        return new SpanMapping.TracePart(first.traceId(), first.root() || second.root(), timestamp,
                or(first.name(), second.name()), or(first.userId(), second.userId()), or(first.sessionId(), second.sessionId()),
                or(first.release(), second.release()), or(first.version(), second.version()),
                first.root() ? first.environment() : or(first.environment(), second.environment()),
                or(first.tags(), second.tags()), or(first.isPublic(), second.isPublic()), or(first.input(), second.input()),
                or(first.output(), second.output()), metadata);
    }

    private static <T> T or(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
