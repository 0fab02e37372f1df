package io.flywheel.monitor.rest;

import io.flywheel.monitor.BadRequestException;
import io.flywheel.monitor.ForbiddenException;
import io.flywheel.monitor.MonitorException;
import io.flywheel.monitor.NotFoundException;
import io.flywheel.monitor.UnprocessableException;
import io.flywheel.problem.ExceptionTable;
import io.flywheel.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * The one table from the monitor's own exceptions to {@code application/problem+json} (RFC 9457).
 * Everything else (bodies that aren't JSON, validation, unknown routes, S3 or the database down,
 * bugs) is mapped by the shared problem module, in the same shape.
 */
public class ProblemMapping {

    private record Kind(int status, String type) {
    }

    private static final Map<Class<? extends MonitorException>, Kind> KINDS = Map.of(
            BadRequestException.class, new Kind(400, "invalid-request"),
            ForbiddenException.class, new Kind(403, "forbidden"),
            NotFoundException.class, new Kind(404, "not-found"),
            UnprocessableException.class, new Kind(422, "unprocessable"));

    @ServerExceptionMapper
    public Response monitor(MonitorException e, HttpServerRequest request) {
        Kind kind = ExceptionTable.lookup(KINDS, e.getClass()).orElse(new Kind(400, "invalid-request"));
        return Problem.of(kind.status(), kind.type(), e.getMessage()).at(request.path()).toResponse();
    }
}
