package io.flywheel.gateway.rest;

import io.flywheel.gateway.auth.ApiKeys;
import io.flywheel.gateway.ingest.BatchParser;
import io.flywheel.gateway.llm.LlmProjects;
import io.flywheel.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The gateway's own refusals as {@code application/problem+json} (RFC 9457). Everything else
 * (bodies that aren't JSON, validation, unknown routes, Kafka or the database down, bugs) is mapped
 * by the shared problem module in the same shape; refusals on proxied routes come from the services
 * themselves, and auth failures from the problem module's router handler.
 */
public class ProblemMapping {

    @ServerExceptionMapper
    public Response invalidBatch(BatchParser.InvalidBatchException e, HttpServerRequest request) {
        return Problem.of(400, "invalid-batch", e.getMessage()).with("errors", e.errors).at(request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response tooLarge(BatchParser.TooLargeException e, HttpServerRequest request) {
        return Problem.of(413, "batch-too-large", e.getMessage()).at(request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response keyNotFound(ApiKeys.KeyNotFoundException e, HttpServerRequest request) {
        return Problem.of(404, "not-found", e.getMessage()).at(request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response keyNameTaken(ApiKeys.KeyNameTakenException e, HttpServerRequest request) {
        return Problem.of(409, "already-exists", e.getMessage()).titled("Already Exists").at(request.path()).toResponse();
    }

    // the project routes (/api/v1/llm/projects are Flywheel routes, so their refusals are problems)
    @ServerExceptionMapper
    public Response projectNotFound(LlmProjects.ProjectNotFoundException e, HttpServerRequest request) {
        return Problem.of(404, "not-found", e.getMessage()).at(request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response keyPairNotFound(LlmProjects.KeyPairNotFoundException e, HttpServerRequest request) {
        return Problem.of(404, "not-found", e.getMessage()).at(request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response projectNameTaken(LlmProjects.ProjectNameTakenException e, HttpServerRequest request) {
        return Problem.of(409, "already-exists", e.getMessage()).titled("Already Exists").at(request.path()).toResponse();
    }
}
