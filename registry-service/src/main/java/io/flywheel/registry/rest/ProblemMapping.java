package io.flywheel.registry.rest;

import io.flywheel.registry.AlreadyExistsException;
import io.flywheel.registry.NotFoundException;
import io.flywheel.registry.RegistryException;
import io.flywheel.registry.storage.StorageUnavailableException;
import io.quarkiverse.resteasy.problem.HttpProblem;
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
     * Quarkus answers a body that is not JSON with a bare 400; say where it broke. Other web
     * exceptions fall through (null) to quarkus-resteasy-problem, whose mappers have priority 999.
     */
    @ServerExceptionMapper(priority = 500)
    public Response malformedJson(jakarta.ws.rs.WebApplicationException e, UriInfo uri) {
        if (!(e.getCause() instanceof com.fasterxml.jackson.core.exc.StreamReadException json)) {
            return null;
        }
        String where = json.getLocation() == null ? ""
                : " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
        return problem(400, "Bad Request", "malformed-json", "the body is not valid JSON: " + json.getOriginalMessage() + where, uri)
                .build();
    }

    static Response.ResponseBuilder problem(int status, String title, String type, String detail, UriInfo uri) {
        HttpProblem body = HttpProblem.builder()
                .withType(URI.create("urn:flywheel:problem:" + type))
                .withStatus(status)
                .withTitle(title)
                .withDetail(detail)
                .withInstance(URI.create(uri.getPath()))
                .build();
        return Response.status(status).type(HttpProblem.MEDIA_TYPE).entity(body);
    }
}
