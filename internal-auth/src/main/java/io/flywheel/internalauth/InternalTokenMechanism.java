package io.flywheel.internalauth;

import io.flywheel.problem.Problem;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * How a service knows its caller: the internal token in {@code Authorization: Bearer}, verified on
 * every request. No token is anonymous (refused by the service's permission policy with a 401
 * problem); a token that is not ours, expired or tampered with is a 401 as well. The identity's
 * principal is the token's subject; its {@code signed-by} attribute names the signer; its roles are the
 * token's {@code roles} claim (the gateway's roles of the caller, e.g. {@code admin}).
 *
 * <p>On by default; the gateway, which signs tokens but authenticates people, turns it off at build
 * time ({@code flywheel.internal-auth.mechanism.enabled=false}).
 */
@ApplicationScoped
@IfBuildProperty(name = "flywheel.internal-auth.mechanism.enabled", stringValue = "true", enableIfMissing = true)
public class InternalTokenMechanism implements HttpAuthenticationMechanism {

    static final String CHALLENGE = "Bearer realm=\"flywheel-services\"";
    static final String DETAIL = "this service takes calls only through the gateway (or from another Flywheel service): "
            + "send a valid internal token";

    private final InternalTokens tokens;

    public InternalTokenMechanism(InternalTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(InternalTokens.HEADER);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not a bearer token"));
        }
        return tokens.verify(header.substring(7).strip())
                .map(caller -> Uni.createFrom().item((SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(caller.principal()))
                        .addAttribute("signed-by", caller.signedBy())
                        .addRoles(caller.roles())
                        .build()))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("invalid internal token")));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        context.response().putHeader("WWW-Authenticate", CHALLENGE);
        Problem.of(401, "unauthorized", DETAIL).send(context);
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    /** Verifies the token itself: it needs no identity provider. */
    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }
}
