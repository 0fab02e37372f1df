package io.flywheel.gateway.llm;

import io.flywheel.gateway.auth.AccessPolicy;
import io.flywheel.problem.FrameworkProblems;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The REST layer's own refusals (a chunked body cut off at its limit, a method a route does not take)
 * in Langfuse's shape on Langfuse's routes; everywhere else the problem module's mapper answers, as
 * before. Ahead of that mapper, so it sees them first.
 */
public class LangfuseWebErrors {

    private static final FrameworkProblems HOUSE_STYLE = new FrameworkProblems();

    @ServerExceptionMapper(priority = Priorities.USER - 101)
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        if (!AccessPolicy.langfuseSurface(request.path())) {
            return HOUSE_STYLE.webApplication(e, request);
        }
        return LangfuseRoutesErrors.unexpected(e);
    }
}
