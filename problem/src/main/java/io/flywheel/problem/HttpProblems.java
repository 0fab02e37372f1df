package io.flywheel.problem;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.UUID;

/**
 * Errors that never reach a REST resource, as problems too: credentials refused by the security
 * layer (401 with {@code flywheel.http.unauthorized-detail} and {@code challenge}, 403), and any
 * failure a Vert.x route leaves unanswered (a body cut off past its limit is a 413; a dependency that
 * is down a 503; anything else a logged 500 with an incident id).
 */
@ApplicationScoped
public class HttpProblems {

    private final HttpLimits limits;

    public HttpProblems(HttpLimits limits) {
        this.limits = limits;
    }

    /** Ahead of Quarkus's own failure handlers, which answer with empty or HTML bodies. */
    void failures(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answerFailure);
    }

    private void answerFailure(RoutingContext rc) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        Throwable failure = rc.failure();
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            rc.response().putHeader("WWW-Authenticate", limits.challenge());
            Problem.of(401, "unauthorized", limits.unauthorizedDetail()).send(rc);
            return;
        }
        if (failure instanceof ForbiddenException) {
            Problem.of(403, "forbidden", "the caller may not " + rc.request().method() + " " + rc.normalizedPath()).send(rc);
            return;
        }
        int status = failure instanceof HttpException http ? http.getStatusCode() : rc.statusCode();
        if (status >= 400 && status < 500) {
            Problem.ofStatus(status, Statuses.defaultDetail(status)).send(rc);
            return;
        }
        var unavailable = failure == null ? java.util.Optional.<Problem>empty() : Unavailability.of(failure);
        if (unavailable.isPresent()) {
            unavailable.get().send(rc);
            return;
        }
        String incident = UUID.randomUUID().toString();
        Log.errorf(failure, "unexpected failure %s on %s %s", incident, rc.request().method(), rc.request().path());
        Problem.of(500, "internal", "something went wrong on our side (incident " + incident + "); it is logged, retrying may help")
                .send(rc);
    }
}
