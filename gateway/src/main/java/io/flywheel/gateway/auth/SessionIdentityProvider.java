package io.flywheel.gateway.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

/** A dashboard session's identity: that of the key it was opened with, while the session and the key are good. */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionRequest> {

    private final Sessions sessions;
    private final KeyLookup keys;

    public SessionIdentityProvider(Sessions sessions, KeyLookup keys) {
        this.sessions = sessions;
        this.keys = keys;
    }

    @Override
    public Class<SessionRequest> getRequestType() {
        return SessionRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionRequest request, AuthenticationRequestContext context) {
        return sessions.find(request.sessionId())
                .chain(found -> found.isEmpty() ? Uni.createFrom().item(Optional.<StoredKey>empty()) : keys.find(found.get().keyId()))
                .map(key -> key.filter(k -> k.usableAt(Instant.now()))
                        .map(ApiKeyIdentityProvider::identity)
                        .orElseThrow(() -> new AuthenticationFailedException("the session has ended")));
    }
}
