package io.flywheel.gateway.auth;

import io.flywheel.problem.HttpLimits;
import io.flywheel.problem.Problem;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Takes an API key from {@code X-API-Key}, or a dashboard session from its HttpOnly cookie (which
 * holds a session id, never the key).
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {

    public static final String HEADER = "X-API-Key";
    public static final String SESSION_COOKIE = "flywheel_session";

    private final String unauthorizedDetail;
    private final String challenge;

    public ApiKeyMechanism(HttpLimits http) {
        this.unauthorizedDetail = http.unauthorizedDetail();
        this.challenge = http.challenge();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String key = context.request().getHeader(HEADER);
        if (key != null && !key.isBlank()) {
            return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(key.strip()), context));
        }
        Cookie session = context.request().getCookie(SESSION_COOKIE);
        if (session != null && !session.getValue().isBlank()) {
            return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new SessionRequest(session.getValue()), context));
        }
        return Uni.createFrom().nullItem();
    }

    /**
     * A request without credentials: 401 with a problem body that says what to send; a person at the
     * dashboard is sent to its sign-in page instead (htmx follows HX-Redirect).
     */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (context.normalizedPath().startsWith("/dashboard")) {
            if (context.request().getHeader("HX-Request") != null) {
                context.response().setStatusCode(401).putHeader("HX-Redirect", "/dashboard/login").end();
            } else {
                context.response().setStatusCode(302).putHeader("Location", "/dashboard/login").end();
            }
            return Uni.createFrom().item(true);
        }
        context.response().putHeader("WWW-Authenticate", challenge);
        Problem.of(401, "unauthorized", unauthorizedDetail).send(context);
        return Uni.createFrom().item(true);
    }

    /** Ahead of the bearer-token mechanism, so the challenge above is the one sent. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", challenge));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class, SessionRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, HEADER));
    }
}
