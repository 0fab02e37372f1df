package io.flywheel.deploy.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flywheel.deploy.ConflictException;
import io.flywheel.deploy.GateFailedException;
import io.flywheel.deploy.InvalidInferenceInputException;
import io.flywheel.deploy.InvalidRequestException;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.NotReadyException;
import io.flywheel.deploy.PreconditionFailedException;
import io.flywheel.deploy.RegistryUnavailableException;
import io.flywheel.deploy.service.GateViews;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;

/**
 * Deploy's refusals as {@code application/problem+json} (RFC 9457), in one table:
 *
 * <pre>
 * NotFoundException               404 not-found
 * InvalidRequestException         400 invalid-request
 * InvalidInferenceInputException  400 invalid-inference-input   + field
 * ConflictException               409 conflict
 * PreconditionFailedException     412 precondition-failed
 * GateFailedException             422 gate-failed               + gate, promotion_id, checks
 * NotReadyException               503 not-ready                 + Retry-After
 * RegistryUnavailableException    503 registry-unavailable      + Retry-After
 * malformed JSON                  400 malformed-json            (line and column)
 * </pre>
 *
 * Validation errors are mapped by quarkus-resteasy-problem.
 */
public class ProblemMapping {

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(404, "Not Found", "not-found", e.getMessage(), uri).build();
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e, UriInfo uri) {
        return problem(400, "Bad Request", "invalid-request", e.getMessage(), uri).build();
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInferenceInputException e, UriInfo uri) {
        return Response.status(400).type(HttpProblem.MEDIA_TYPE)
                .entity(HttpProblem.builder(body(400, "Bad Request", "invalid-inference-input", e.getMessage(), uri))
                        .with("field", e.field()).build())
                .build();
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e, UriInfo uri) {
        return problem(409, "Conflict", "conflict", e.getMessage(), uri).build();
    }

    @ServerExceptionMapper
    public Response preconditionFailed(PreconditionFailedException e, UriInfo uri) {
        return problem(412, "Precondition Failed", "precondition-failed", e.getMessage(), uri).build();
    }

    @ServerExceptionMapper
    public Response gateFailed(GateFailedException e, UriInfo uri) {
        String gate = e.verdict().failure().map(c -> c.gate()).orElse(null);
        return Response.status(422).type(HttpProblem.MEDIA_TYPE)
                .entity(HttpProblem.builder(body(422, "Unprocessable Content", "gate-failed", e.getMessage(), uri))
                        .with("gate", gate)
                        .with("promotion_id", e.promotionId())
                        .with("checks", GateViews.toMaps(e.verdict().checks()))
                        .build())
                .build();
    }

    @ServerExceptionMapper
    public Response notReady(NotReadyException e, UriInfo uri) {
        return problem(503, "Service Unavailable", "not-ready", e.getMessage(), uri).header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response registryUnavailable(RegistryUnavailableException e, UriInfo uri) {
        return problem(503, "Service Unavailable", "registry-unavailable", e.getMessage(), uri).header("Retry-After", "5").build();
    }

    /**
     * Quarkus answers a body that is not JSON with a bare 400: say where it broke. This outranks
     * quarkus-resteasy-problem's own mapper (priority 999), so other web exceptions are rendered
     * here the same way it would, headers included. Never returns null (that would be a 204).
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
        Response.ResponseBuilder response = problem(original.getStatus(), original.getStatusInfo().getReasonPhrase(), null,
                e.getMessage(), uri);
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
