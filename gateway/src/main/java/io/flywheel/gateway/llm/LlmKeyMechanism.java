package io.flywheel.gateway.llm;

import io.flywheel.gateway.auth.AccessPolicy;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Takes an LLM project's key pair from {@code Authorization: Basic} (what Langfuse's SDKs and an OTLP
 * exporter configured with the pair send), on any route: where {@link AccessPolicy} does not let a
 * project call, it is a 403. On Langfuse's routes a request without a valid pair gets Langfuse's 401
 * ({@code {"message": ...}}); elsewhere the API-key mechanism's problem answers.
 */
@ApplicationScoped
public class LlmKeyMechanism implements HttpAuthenticationMechanism {

    static final String CHALLENGE = "Basic realm=\"flywheel\"";
    /** Why the pair presented on this request was refused, for the 401's message. */
    private static final String REFUSAL = "flywheel.llm.refusal";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader("Authorization");
        if (!LlmKeys.isBasic(authorization)) {
            return Uni.createFrom().nullItem();
        }
        var presented = LlmKeys.fromBasic(authorization);
        if (presented.isEmpty()) {
            if (!LangfuseAnswers.onLangfuseRoute(context)) {
                return Uni.createFrom().nullItem(); // someone else's Basic credentials: not ours to judge
            }
            context.put(REFUSAL, "Invalid credentials: HTTP Basic must carry a project's public key (pk-lf-...) and secret key (sk-lf-...)");
            return Uni.createFrom().failure(new AuthenticationFailedException("malformed key pair"));
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new LlmKeyRequest(presented.get()), context))
                .onFailure(AuthenticationFailedException.class)
                .invoke(() -> context.put(REFUSAL, "Invalid credentials: the key pair does not exist, was revoked, or its secret key is wrong"));
    }

    /** Ahead of the API-key mechanism, so that Langfuse's routes answer in Langfuse's shape. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 200;
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!LangfuseAnswers.onLangfuseRoute(context)) {
            return Uni.createFrom().item(false); // the next mechanism answers in the house style
        }
        String refusal = context.get(REFUSAL);
        context.response().putHeader("WWW-Authenticate", CHALLENGE);
        LangfuseAnswers.send(context, 401, refusal != null ? refusal
                : "Unauthorized: send the project's public key and secret key as HTTP Basic (Authorization: Basic base64(pk-lf-...:sk-lf-...))",
                null);
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(LlmKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "basic"));
    }
}
