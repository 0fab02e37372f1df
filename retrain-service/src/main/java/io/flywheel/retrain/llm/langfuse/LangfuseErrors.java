package io.flywheel.retrain.llm.langfuse;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flywheel.retrain.AlreadyExistsException;
import io.flywheel.retrain.ForbiddenException;
import io.flywheel.retrain.NotFoundException;
import io.flywheel.retrain.RetrainException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors of the Langfuse-compatible routes in Langfuse's shape: its SDKs read {@code message}. The
 * resources map retraining's own exceptions and unreadable bodies here too (their local mappers), so
 * a Langfuse client never gets a problem document.
 */
public class LangfuseErrors {

    @ServerExceptionMapper
    public Response langfuse(LangfuseException e) {
        return answer(e);
    }

    static Response answer(LangfuseException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new LangfuseViews.Error(e.getMessage(), e.error())).build();
    }

    /** Retraining's exceptions as Langfuse answers them. */
    static Response answer(RetrainException e) {
        return answer(switch (e) {
            case NotFoundException n -> LangfuseException.notFound(n.getMessage());
            case ForbiddenException f -> LangfuseException.forbidden(f.getMessage());
            case AlreadyExistsException c -> new LangfuseException(409, "ConflictError", c.getMessage());
            default -> LangfuseException.invalid(e.getMessage());
        });
    }

    static Response answer(JsonProcessingException e) {
        return answer(LangfuseException.invalid("the body is not the JSON this route takes: " + e.getOriginalMessage()));
    }

    static Response answer(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return answer(json);
        }
        return answer(new LangfuseException(status, status == 404 ? "LangfuseNotFoundError" : status == 405 ? "MethodNotAllowedError"
                : "InvalidRequestError", e.getMessage() == null ? "HTTP " + status : e.getMessage()));
    }
}
