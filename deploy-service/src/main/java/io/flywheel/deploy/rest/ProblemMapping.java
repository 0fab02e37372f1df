package io.flywheel.deploy.rest;

import io.flywheel.deploy.ConflictException;
import io.flywheel.deploy.DeployException;
import io.flywheel.deploy.ForbiddenException;
import io.flywheel.deploy.GateFailedException;
import io.flywheel.deploy.InvalidInferenceInputException;
import io.flywheel.deploy.InvalidRequestException;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.NotReadyException;
import io.flywheel.deploy.PreconditionFailedException;
import io.flywheel.deploy.SelfApprovalException;
import io.flywheel.deploy.external.ExternalCallException;
import io.flywheel.deploy.gate.GateCheck;
import io.flywheel.deploy.service.GateViews;
import io.flywheel.problem.ExceptionTable;
import io.flywheel.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Duration;
import java.util.Map;

/**
 * Deploy's refusals as {@code application/problem+json} (RFC 9457), in one table:
 *
 * <pre>
 * NotFoundException               404 not-found
 * InvalidRequestException         400 invalid-request
 * InvalidInferenceInputException  400 invalid-inference-input   + field
 * ConflictException               409 conflict
 * SelfApprovalException           403 self-approval
 * ForbiddenException              403 forbidden
 * PreconditionFailedException     412 precondition-failed
 * GateFailedException             422 gate-failed               + gate, promotion_id, checks
 * NotReadyException               503 not-ready                 + Retry-After: 1
 * ExternalCallException           an external version's endpoint gave no answer:
 *                                 504 external-timeout, 503 external-unavailable, 503 external-circuit-open,
 *                                 503 external-not-callable (+ Retry-After for 503s), 502 external-bad-gateway
 * </pre>
 *
 * Everything else (bodies that aren't JSON, validation, unknown routes, the registry or the database
 * down, bugs) is mapped by the shared problem module, in the same shape.
 */
public class ProblemMapping {

    private record Kind(int status, String type) {
    }

    private static final Map<Class<? extends DeployException>, Kind> KINDS = Map.of(
            NotFoundException.class, new Kind(404, "not-found"),
            InvalidRequestException.class, new Kind(400, "invalid-request"),
            InvalidInferenceInputException.class, new Kind(400, "invalid-inference-input"),
            ConflictException.class, new Kind(409, "conflict"),
            PreconditionFailedException.class, new Kind(412, "precondition-failed"),
            SelfApprovalException.class, new Kind(403, "self-approval"),
            ForbiddenException.class, new Kind(403, "forbidden"),
            GateFailedException.class, new Kind(422, "gate-failed"),
            NotReadyException.class, new Kind(503, "not-ready"));

    @ServerExceptionMapper
    public Response deploy(DeployException e, HttpServerRequest request) {
        return problem(e, request.path());
    }

    /** The problem for one of deploy's refusals, also when it arrives after the request was suspended (external versions). */
    static Response problem(DeployException e, String path) {
        Kind kind = ExceptionTable.lookup(KINDS, e.getClass()).orElse(new Kind(400, "invalid-request"));
        Problem problem = Problem.of(kind.status(), kind.type(), e.getMessage()).at(path);
        if (e instanceof InvalidInferenceInputException input) {
            problem = problem.with("field", input.field());
        } else if (e instanceof GateFailedException gate) {
            problem = problem.with("gate", gate.verdict().failure().map(GateCheck::gate).orElse(null))
                    .with("promotion_id", gate.promotionId())
                    .with("checks", GateViews.toMaps(gate.verdict().checks()));
        } else if (e instanceof NotReadyException) {
            problem = problem.retryAfter(1);
        }
        return problem.toResponse();
    }

    /**
     * An external version's endpoint did not answer: the kind says whose fault and what the caller gets.
     * Called by {@link InferenceResource} when it resumes the suspended request (the answer, or this, arrives
     * after the resource method returned), so the problem does not depend on how a resumed failure is mapped.
     */
    static Response problem(ExternalCallException e, String path) {
        ExternalCallException.Kind kind = e.kind();
        Problem problem = Problem.of(kind.status(), "external-" + kind.reason(), e.getMessage()).at(path);
        if (kind.status() == 503) {
            Duration retry = e.retryAfter();
            problem = problem.retryAfter(retry == null ? 1 : Math.max(1, (int) Math.min(3600, (retry.toMillis() + 999) / 1000)));
        }
        return problem.toResponse();
    }
}
