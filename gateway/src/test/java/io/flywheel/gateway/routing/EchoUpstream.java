package io.flywheel.gateway.routing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server standing behind the gateway that answers with what it received, so tests can
 * see exactly what the gateway forwards. Also registers a route to a port where nothing listens.
 */
public class EchoUpstream implements QuarkusTestResourceLifecycleManager {

    /** Requests seen per "METHOD path", so tests can tell whether the gateway retried. */
    public static final java.util.concurrent.ConcurrentMap<String, Integer> ATTEMPTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Where /api/v1/echo/redirect sends the caller: a presigned-looking URL on another host, its query percent-encoded. */
    public static final String REDIRECT_LOCATION = "http://127.0.0.1:19000/flywheel/blobs/sha256/ab?response-content-type=application%2Foctet-stream"
            + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=flywheel%2F20261205%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Expires=300"
            + "&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd";

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            ATTEMPTS.merge(request.method() + " " + request.path(), 1, Integer::sum);
            if (request.path().startsWith("/api/v1/echo/flaky/") && ATTEMPTS.get(request.method() + " " + request.path()) == 1) {
                request.connection().close(); // the first attempt at each flaky path dies mid-request
                return;
            }
            if (request.path().startsWith("/api/v1/echo/redirect")) {
                // as the registry hands a large artifact to S3: a 307 to a presigned URL
                request.response().setStatusCode(307).putHeader("Location", REDIRECT_LOCATION)
                        .putHeader("Cache-Control", "no-store").putHeader("ETag", "\"abc\"").end();
                return;
            }
            if (request.path().startsWith("/api/v1/echo/slow")) {
                vertx.setTimer(3_000, t -> request.response().end("late"));
                return;
            }
            JsonObject headers = new JsonObject();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("method", request.method().name())
                    .put("uri", request.uri())
                    .put("headers", headers)
                    .put("body", body.toString())
                    .encode());
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("echo upstream did not start", e);
        }
        return Map.of(
                "gateway.services.echo.url", "http://127.0.0.1:" + server.actualPort(),
                "gateway.services.echo.prefixes", "/api/v1/echo",
                "gateway.services.echo.timeout", "1s",
                // a port from the ephemeral range nobody listens on: the route must answer 503
                "gateway.services.nowhere-service.url", "http://127.0.0.1:1",
                "gateway.services.nowhere-service.prefixes", "/api/v1/nowhere");
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
