package io.flywheel.gateway.llm;

import io.flywheel.problem.HttpLimits;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Holds a chunked body (no Content-Length: JavaScript's OTLP exporter sends one) on Langfuse's ingestion
 * routes to the route's limit while it arrives: over it, a 413 in Langfuse's shape ({@link LangfuseAnswers})
 * and nothing more is read. A body that announces its length is judged before this, by RequestLimits.
 * The limits are those of {@code flywheel.http.body-routes.langfuse-ingestion} and {@code .langfuse-otlp}.
 */
@ApplicationScoped
public class LangfuseBodyLimits {

    void register(@Observes Router router, HttpLimits limits) {
        long ingestion = limits.bodyRoutes().get("langfuse-ingestion").maxSize().asLongValue();
        long otlp = limits.bodyRoutes().get("langfuse-otlp").maxSize().asLongValue();
        router.post("/api/public/ingestion").handler(whenChunked(ingestion));
        router.post("/api/public/otel/v1/traces").handler(whenChunked(otlp));
        router.post("/v1/traces").handler(whenChunked(otlp));
    }

    /** Reads (and limits) only a body without a Content-Length; one with it is left to the REST layer. */
    private static io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> whenChunked(long limit) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(limit);
        return rc -> {
            var request = rc.request();
            boolean streamed = request.getHeader("Transfer-Encoding") != null
                    || request.version() == io.vertx.core.http.HttpVersion.HTTP_2 && !request.isEnded();
            if (request.getHeader("Content-Length") == null && streamed) {
                body.handle(rc);
            } else {
                rc.next();
            }
        };
    }
}
