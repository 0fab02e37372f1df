package io.flywheel.retrain.rest;

import io.flywheel.problem.ExceptionTable;
import io.flywheel.problem.Problem;
import io.flywheel.retrain.AlreadyExistsException;
import io.flywheel.retrain.ForbiddenException;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.JobFinishedException;
import io.flywheel.retrain.NotFoundException;
import io.flywheel.retrain.PreconditionFailedException;
import io.flywheel.retrain.RetrainException;
import io.flywheel.retrain.TriggerRefusedException;
import io.flywheel.retrain.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * The one table from retraining's own exceptions to {@code application/problem+json} (RFC 9457).
 * Everything else (bodies that aren't JSON, validation, unknown routes, S3 or the database down,
 * bugs) is mapped by the shared problem module, in the same shape.
 */
public class ProblemMapping {

    private record Kind(int status, String title, String type) {
    }

    private static final Map<Class<? extends RetrainException>, Kind> KINDS = Map.of(
            NotFoundException.class, new Kind(404, "Not Found", "not-found"),
            InvalidRequestException.class, new Kind(400, "Bad Request", "invalid-request"),
            JobFinishedException.class, new Kind(409, "Job Finished", "job-finished"),
            PreconditionFailedException.class, new Kind(412, "Precondition Failed", "precondition-failed"),
            TriggerRefusedException.class, new Kind(409, "Trigger Refused", "trigger-refused"),
            UnauthorizedException.class, new Kind(401, "Unauthorized", "unauthorized"),
            AlreadyExistsException.class, new Kind(409, "Already Exists", "already-exists"),
            ForbiddenException.class, new Kind(403, "Forbidden", "forbidden"));

    @ServerExceptionMapper
    public Response retrain(RetrainException e, HttpServerRequest request) {
        Kind kind = ExceptionTable.lookup(KINDS, e.getClass()).orElse(new Kind(400, "Bad Request", "invalid-request"));
        Problem problem = Problem.of(kind.status(), kind.type(), e.getMessage()).titled(kind.title()).at(request.path());
        if (e instanceof TriggerRefusedException refused) {
            problem = problem.with("rule", refused.rule()).with("trigger_seq", refused.triggerSeq());
        }
        return problem.toResponse();
    }
}
