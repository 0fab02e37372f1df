package io.flywheel.deploy.rest;

import io.flywheel.deploy.ModelNotFoundException;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;

/**
 * Domain exceptions to {@code application/problem+json} (RFC 9457), in one place. Framework errors
 * (validation, malformed JSON, unknown routes) are mapped by quarkus-resteasy-problem.
 */
public class ProblemMapping {

    @ServerExceptionMapper
    public Response modelNotFound(ModelNotFoundException e, UriInfo uri) {
        return problem(404, "Not Found", "not-found", e.getMessage(), uri);
    }

    static Response problem(int status, String title, String type, String detail, UriInfo uri) {
        HttpProblem body = HttpProblem.builder()
                .withType(URI.create("urn:flywheel:problem:" + type))
                .withStatus(status)
                .withTitle(title)
                .withDetail(detail)
                .withInstance(URI.create(uri.getPath()))
                .build();
        return Response.status(status).type(HttpProblem.MEDIA_TYPE).entity(body).build();
    }
}
