package io.flywheel.gateway.llm;

import io.flywheel.llm.ingest.otlp.OtlpResult;
import io.flywheel.llm.ingest.otlp.OtlpTraces;
import io.quarkus.logging.Log;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace export ({@code ExportTraceServiceRequest}, JSON or protobuf, gzip or not) from a
 * project's key pair, on either route ({@link OtlpResource}, {@link LangfuseResource}): parsed and mapped
 * by llm-ingest off the event loop, published, and answered 200 with OTLP's {@code ExportTraceServiceResponse}
 * in the request's encoding: empty, or a partial success counting the spans that could not be taken and
 * why (an exporter's flush fails on anything but 2xx). Langfuse's error shape otherwise.
 */
@ApplicationScoped
public class OtlpExport {

    static final String PROTOBUF = "application/x-protobuf";
    /** Most bytes a gzip body may inflate to; more is a 413. */
    static final int MAX_INFLATED_BYTES = 64 * 1024 * 1024;
    /** Most errors named in a partial success's message. */
    private static final int ERRORS_NAMED = 10;

    private final TracePublisher publisher;
    private final SecurityIdentity caller;

    public OtlpExport(TracePublisher publisher, SecurityIdentity caller) {
        this.publisher = publisher;
        this.caller = caller;
    }

    Uni<Response> export(String contentType, String encoding, byte[] body) {
        String project = LlmKeyIdentityProvider.projectOf(caller);
        if (project == null) {
            return Uni.createFrom().item(LangfuseAnswers.response(401, "Invalid credentials: send the project's key pair as HTTP Basic", null));
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean protobuf = type.contains(PROTOBUF);
        if (!protobuf && !type.contains(MediaType.APPLICATION_JSON)) {
            return Uni.createFrom().item(LangfuseAnswers.response(400,
                    "Content-Type must be application/json or application/x-protobuf (OTLP/HTTP), was '" + clip(contentType) + "'",
                    "Invalid content type"));
        }
        String coding = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty() && !coding.equals("gzip") && !coding.equals("identity")) {
            return Uni.createFrom().item(LangfuseAnswers.response(400,
                    "Content-Encoding must be gzip or none, was '" + clip(encoding) + "'", "Unsupported content encoding"));
        }
        if (!publisher.brokerUp()) {
            return Uni.createFrom().item(LangfuseResource.brokerDown());
        }
        Instant receivedAt = Instant.now();
        byte[] raw = body == null ? new byte[0] : body;
        return Uni.createFrom().item(() -> OtlpTraces.read(project, coding.equals("gzip") ? gunzip(raw) : raw, !protobuf, receivedAt))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItem().transformToUni(result -> publisher.publish(result.mapped())
                        .map(published -> {
                            if (result.rejectedSpans() > 0) {
                                Log.infof("project %s: OTLP export, %d spans rejected (%s)", project, result.rejectedSpans(),
                                        String.join("; ", result.errors().stream().limit(3).toList()));
                            }
                            return answer(result, protobuf);
                        })
                        .onFailure().recoverWithItem(failure -> {
                            Log.warnf("project %s: an OTLP export could not be published: %s", project, failure.getMessage());
                            return LangfuseResource.brokerDown();
                        }))
                .onFailure(TooLargeException.class)
                .recoverWithItem(e -> LangfuseAnswers.response(413, e.getMessage(), "PayloadTooLarge"))
                .onFailure(IllegalArgumentException.class)
                .recoverWithItem(e -> LangfuseAnswers.response(400, "Invalid OTLP request: " + e.getMessage(), "Bad Request"));
    }

    /** The ExportTraceServiceResponse in the request's encoding. */
    static Response answer(OtlpResult result, boolean protobuf) {
        String message = result.rejectedSpans() > 0 ? errorMessage(result) : null;
        if (protobuf) {
            return Response.ok(OtlpResponses.protobuf(result.rejectedSpans(), message), PROTOBUF).build();
        }
        return Response.ok(OtlpResponses.json(result.rejectedSpans(), message), MediaType.APPLICATION_JSON).build();
    }

    private static String errorMessage(OtlpResult result) {
        var named = result.errors().stream().limit(ERRORS_NAMED).toList();
        String message = String.join("; ", named);
        if (result.errors().size() > named.size()) {
            message += "; and " + (result.errors().size() - named.size()) + " more";
        }
        return message.isEmpty() ? result.rejectedSpans() + " spans were rejected" : message;
    }

    static final class TooLargeException extends RuntimeException {
        TooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    static byte[] gunzip(byte[] body) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, body.length * 4));
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                if (out.size() + read > MAX_INFLATED_BYTES) {
                    throw new TooLargeException("the gzip body inflates to more than " + MAX_INFLATED_BYTES + " bytes: send fewer spans per request");
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("Content-Encoding is gzip but the body is not valid gzip (" + e.getMessage() + ")");
        }
    }

    private static String clip(String value) {
        String v = value == null ? "" : value;
        return v.length() > 100 ? v.substring(0, 100) + "..." : v;
    }
}
