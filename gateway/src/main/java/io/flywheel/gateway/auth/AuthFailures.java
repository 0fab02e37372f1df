package io.flywheel.gateway.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** 401 and 403 as {@code application/problem+json}, on every route (proxied ones included). */
@ApplicationScoped
public class AuthFailures {

    static final String UNAUTHORIZED_DETAIL = "send a valid API key in the " + ApiKeyMechanism.HEADER + " header (or a bearer token)";

    void register(@Observes Router router) {
        // before Quarkus's own auth failure handler (order MIN_VALUE + 1), which answers with an empty body
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            send(rc, 401, "Unauthorized", "unauthorized", UNAUTHORIZED_DETAIL);
        } else if (failure instanceof ForbiddenException) {
            send(rc, 403, "Forbidden", "forbidden",
                    "the roles of this key do not allow " + rc.request().method() + " " + rc.normalizedPath());
        } else {
            rc.next();
        }
    }

    static void send(RoutingContext rc, int status, String title, String type, String detail) {
        if (rc.response().ended()) {
            return;
        }
        if (status == 401) {
            rc.response().putHeader("WWW-Authenticate", "ApiKey header=\"" + ApiKeyMechanism.HEADER + "\"");
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject()
                        .put("type", "urn:flywheel:problem:" + type)
                        .put("title", title)
                        .put("status", status)
                        .put("detail", detail)
                        .put("instance", rc.normalizedPath())
                        .encode());
    }
}
