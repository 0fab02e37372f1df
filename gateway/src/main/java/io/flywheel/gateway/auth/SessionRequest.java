package io.flywheel.gateway.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A dashboard session id presented in its HttpOnly cookie. */
public class SessionRequest extends BaseAuthenticationRequest {
    private final String sessionId;

    public SessionRequest(String sessionId) {
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }
}
