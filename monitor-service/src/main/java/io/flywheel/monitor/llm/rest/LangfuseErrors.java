package io.flywheel.monitor.llm.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors of the Langfuse-compatible routes in Langfuse's shape: its SDKs read {@code message}. */
public class LangfuseErrors {

    @ServerExceptionMapper
    public Response langfuse(LangfuseException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new LangfuseViews.Error(e.getMessage(), e.error())).build();
    }
}
