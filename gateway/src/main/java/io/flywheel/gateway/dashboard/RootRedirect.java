package io.flywheel.gateway.dashboard;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** {@code GET /} leads to the dashboard (which sends a visitor without a session to its sign-in page). */
@ApplicationScoped
public class RootRedirect {

    void register(@Observes Router router) {
        router.route("/").method(io.vertx.core.http.HttpMethod.GET).method(io.vertx.core.http.HttpMethod.HEAD)
                .handler(rc -> rc.response().setStatusCode(302).putHeader("Location", "/dashboard").end());
    }
}
