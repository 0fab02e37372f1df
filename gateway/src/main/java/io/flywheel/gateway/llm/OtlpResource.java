package io.flywheel.gateway.llm;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * OTLP/HTTP trace export ({@code ExportTraceServiceRequest}, JSON or protobuf, gzip or not) from
 * Langfuse's SDKs ({@code /api/public/otel/v1/traces}) and any OpenTelemetry exporter pointed at the
 * gateway ({@code /v1/traces}), with a project's key pair as HTTP Basic. A readable request is a 200
 * with OTLP's {@code ExportTraceServiceResponse} in the request's encoding: empty, or a partial success
 * counting the spans that could not be taken and why (an exporter's flush fails on anything but 2xx).
 */
@Path("/v1/traces")
@Tag(name = "Langfuse-compatible ingestion")
public class OtlpResource {

    static final String PROTOBUF = OtlpExport.PROTOBUF;

    private final OtlpExport otlp;

    public OtlpResource(OtlpExport otlp) {
        this.otlp = otlp;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, PROTOBUF})
    @Operation(summary = "OTLP/HTTP trace export (JSON or protobuf, gzip) for the calling project's key pair")
    public Uni<Response> traces(@HeaderParam("Content-Type") String contentType, @HeaderParam("Content-Encoding") String encoding,
                                byte[] body) {
        return otlp.export(contentType, encoding, body);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return LangfuseRoutesErrors.unexpected(e);
    }
}
