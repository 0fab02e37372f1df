package io.flywheel.gateway.llm;

import io.flywheel.problem.Unavailability;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.util.UUID;

/** What the Langfuse-compatible resources answer for a failure they did not foresee: Langfuse's shape, never a stack trace. */
final class LangfuseRoutesErrors {

    private LangfuseRoutesErrors() {
    }

    static Response unexpected(Throwable e) {
        if (e instanceof WebApplicationException web && web.getResponse() != null && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            return switch (status) {
                case 413 -> LangfuseAnswers.response(413, "Request body too large: send fewer events per request", "PayloadTooLarge");
                case 405 -> LangfuseAnswers.response(405, "Method not allowed", "MethodNotAllowed");
                case 404 -> LangfuseAnswers.response(404, "Not found", "LangfuseNotFoundError");
                default -> LangfuseAnswers.response(status, "The request could not be processed (HTTP " + status + ")", null);
            };
        }
        var unavailable = Unavailability.of(e);
        if (unavailable.isPresent()) {
            return LangfuseAnswers.response(503, unavailable.get().detail(), "ServiceUnavailable");
        }
        String incident = UUID.randomUUID().toString();
        Log.errorf(e, "unexpected failure %s on a Langfuse-compatible route", incident);
        return LangfuseAnswers.response(500, "Internal error (incident " + incident + "); it is logged, retrying may help",
                "InternalServerError");
    }
}
