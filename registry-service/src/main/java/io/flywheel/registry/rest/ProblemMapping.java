package io.flywheel.registry.rest;

import io.flywheel.registry.AlreadyExistsException;
import io.flywheel.registry.NotFoundException;
import io.flywheel.registry.RegistryException;
import io.flywheel.registry.storage.StorageUnavailableException;
import io.quarkiverse.resteasy.problem.HttpProblem;
import com.fasterxml.jackson.core.exc.StreamReadException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;
import java.util.Map;

/**
 * The one table from domain exceptions to {@code application/problem+json} (RFC 9457). Framework
 * errors (validation, malformed JSON, unknown routes) are mapped by quarkus-resteasy-problem.
 */
public class ProblemMapping {

    private record Kind(int status, String title, String type) {
    }

    private static final Map<Class<? extends RegistryException>, Kind> KINDS = Map.of(
            NotFoundException.class, new Kind(404, "Not Found", "not-found"),
            AlreadyExistsException.class, new Kind(409, "Already Exists", "already-exists"));

    @ServerExceptionMapper
    public Response registry(RegistryException e, UriInfo uri) {
        Kind kind = KINDS.get(e.getClass());
        return problem(kind.status(), kind.title(), kind.type(), e.getMessage(), uri).build();
    }

    @ServerExceptionMapper
    public Response storageUnavailable(StorageUnavailableException e, UriInfo uri) {
        return problem(503, "Service Unavailable", "storage-unavailable",
                "the artifact store is unavailable; retry later", uri)
                .header("Retry-After", "5").build();
    }

    /**
     * Quarkus answers a body that is not JSON with a bare 400: say where it broke. This outranks
     * quarkus-resteasy-problem's own mapper (priority 999), so other web exceptions (404, 405, 415,
     * bad cursors...) are rendered here the same way it would, headers included.
     */
    @ServerExceptionMapper(priority = 500)
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof StreamReadException json) {
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

    static Response.ResponseBuilder problem(int status, String title, String type, String detail, UriInfo uri) {
        HttpProblem body = HttpProblem.builder()
                .withType(type == null ? null : URI.create("urn:flywheel:problem:" + type))
                .withStatus(status)
                .withTitle(title)
                .withDetail(detail)
                .withInstance(URI.create(uri.getPath()))
                .build();
        return Response.status(status).type(HttpProblem.MEDIA_TYPE).entity(body);
    }
}
