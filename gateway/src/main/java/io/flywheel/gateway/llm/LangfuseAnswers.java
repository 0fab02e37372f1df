package io.flywheel.gateway.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flywheel.gateway.auth.AccessPolicy;
import io.flywheel.problem.Unavailability;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Errors on Langfuse's routes ({@link AccessPolicy#langfuseSurface}) in Langfuse's shape,
 * {@code {"message": ..., "error": ...}} as {@code application/json}, which its SDKs read (the rest of
 * Flywheel answers problems). This class answers the failures the security layer and Vert.x leave on
 * those routes (a refused caller, a chunked body over the limit, a dependency down); the resources
 * answer their own. Refusals by the size filter ahead of everything (413 with a Content-Length, 414,
 * 431) stay problems.
 */
@ApplicationScoped
public class LangfuseAnswers {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public static boolean onLangfuseRoute(RoutingContext rc) {
        return AccessPolicy.langfuseSurface(rc.normalizedPath());
    }

    /** The body: {@code message} always, {@code error} when given. Rendering never throws. */
    public static String body(String message, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        if (error != null) {
            body.put("error", error);
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return "{\"message\":\"error\"}";
        }
    }

    public static Response response(int status, String message, String error) {
        Response.ResponseBuilder response = Response.status(status).type("application/json").entity(body(message, error));
        if (status == 503) {
            response.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    public static void send(RoutingContext rc, int status, String message, String error) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (status == 503) {
            rc.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        rc.response().end(body(message, error));
    }

    static final int RETRY_AFTER_SECONDS = 5;

    /** Ahead of the problem module's failure handler: this observer is notified first, so its handler is added first. */
    void failures(@Observes @Priority(Interceptor.Priority.APPLICATION) Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answerFailure);
    }

    private void answerFailure(RoutingContext rc) {
        if (!onLangfuseRoute(rc) || rc.response().ended() || rc.response().headWritten()) {
            rc.next();
            return;
        }
        Throwable failure = rc.failure();
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            rc.response().putHeader("WWW-Authenticate", LlmKeyMechanism.CHALLENGE);
            send(rc, 401, "Invalid credentials: send the project's public key and secret key as HTTP Basic", null);
            return;
        }
        if (failure instanceof ForbiddenException) {
            send(rc, 403, "Access denied: " + rc.request().method() + " " + rc.normalizedPath()
                    + " takes an LLM project's key pair (HTTP Basic), not an API key or token, and only on Langfuse's ingestion and read routes",
                    "AccessDenied");
            return;
        }
        int status = failure instanceof HttpException http ? http.getStatusCode() : rc.statusCode();
        if (status == 413) {
            send(rc, 413, "Request body too large: send fewer events per request", "PayloadTooLarge");
            return;
        }
        if (status >= 400 && status < 500) {
            send(rc, status, "The request could not be processed (HTTP " + status + ")", null);
            return;
        }
        var unavailable = failure == null ? java.util.Optional.<io.flywheel.problem.Problem>empty() : Unavailability.of(failure);
        if (unavailable.isPresent()) {
            send(rc, 503, unavailable.get().detail(), "ServiceUnavailable");
            return;
        }
        String incident = UUID.randomUUID().toString();
        Log.errorf(failure, "unexpected failure %s on %s %s", incident, rc.request().method(), rc.request().path());
        send(rc, 500, "Internal error (incident " + incident + "); it is logged, retrying may help", "InternalServerError");
    }
}
