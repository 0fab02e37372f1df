package io.flywheel.gateway.llm;

import io.flywheel.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The project routes' refusals as problems ({@code /api/v1/llm/projects} is a Flywheel route). */
public class LlmProblemMapping {

    @ServerExceptionMapper
    public Response projectNotFound(LlmProjects.ProjectNotFoundException e, HttpServerRequest request) {
        return Problem.of(404, "not-found", e.getMessage()).at(request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response keyPairNotFound(LlmProjects.KeyPairNotFoundException e, HttpServerRequest request) {
        return Problem.of(404, "not-found", e.getMessage()).at(request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response nameTaken(LlmProjects.ProjectNameTakenException e, HttpServerRequest request) {
        return Problem.of(409, "already-exists", e.getMessage()).titled("Already Exists").at(request.path()).toResponse();
    }
}
