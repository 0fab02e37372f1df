package io.flywheel.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flywheel.gateway.auth.ApiKeys;
import io.flywheel.gateway.ingest.BatchParser;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.apache.kafka.common.KafkaException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;

/**
 * The gateway's own refusals as {@code application/problem+json} (RFC 9457), in one place.
 * Validation errors are mapped by quarkus-resteasy-problem; refusals on proxied routes come from
 * the services themselves, and auth failures from {@code auth.AuthFailures}.
 */
public class ProblemMapping {

    @ServerExceptionMapper
    public Response invalidBatch(BatchParser.InvalidBatchException e, UriInfo uri) {
        return problem(400, "Bad Request", "invalid-batch", e.getMessage(), uri).entity(
                HttpProblem.builder(body(400, "Bad Request", "invalid-batch", e.getMessage(), uri)).with("errors", e.errors).build())
                .build();
    }

    @ServerExceptionMapper
    public Response tooLarge(BatchParser.TooLargeException e, UriInfo uri) {
        return problem(413, "Content Too Large", "batch-too-large", e.getMessage(), uri).build();
    }

    /** The broker did not acknowledge in time: nothing is promised, a retry with the same Idempotency-Key is safe. */
    @ServerExceptionMapper
    public Response brokerUnavailable(KafkaException e, UriInfo uri) {
        return problem(503, "Service Unavailable", "broker-unavailable",
                "Kafka did not acknowledge the batch; retry it with the same Idempotency-Key", uri)
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response keyNotFound(ApiKeys.KeyNotFoundException e, UriInfo uri) {
        return problem(404, "Not Found", "not-found", e.getMessage(), uri).build();
    }

    @ServerExceptionMapper
    public Response keyNameTaken(ApiKeys.KeyNameTakenException e, UriInfo uri) {
        return problem(409, "Already Exists", "already-exists", e.getMessage(), uri).build();
    }

    /**
     * Quarkus answers a body that is not JSON with a bare 400: say where it broke. This outranks
     * quarkus-resteasy-problem's own mapper (priority 999), so other web exceptions are rendered
     * here the same way it would, headers included.
     */
    @ServerExceptionMapper(priority = 500)
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            String where = json.getLocation() == null ? ""
                    : " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
            return problem(400, "Bad Request", "malformed-json", "the body is not valid JSON: " + json.getOriginalMessage() + where, uri)
                    .build();
        }
        Response original = e.getResponse();
        Response.ResponseBuilder response = problem(original.getStatus(), original.getStatusInfo().getReasonPhrase(), null, e.getMessage(), uri);
        original.getHeaders().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    private static HttpProblem body(int status, String title, String type, String detail, UriInfo uri) {
        return HttpProblem.builder()
                .withType(type == null ? null : URI.create("urn:flywheel:problem:" + type))
                .withStatus(status)
                .withTitle(title)
                .withDetail(detail)
                .withInstance(URI.create(uri.getPath()))
                .build();
    }

    private static Response.ResponseBuilder problem(int status, String title, String type, String detail, UriInfo uri) {
        return Response.status(status).type(HttpProblem.MEDIA_TYPE).entity(body(status, title, type, detail, uri));
    }
}
