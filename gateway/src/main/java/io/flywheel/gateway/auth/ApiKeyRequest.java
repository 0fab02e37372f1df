package io.flywheel.gateway.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key presented in the X-API-Key header (or the dashboard's session cookie). */
public class ApiKeyRequest extends BaseAuthenticationRequest {
    private final String key;

    public ApiKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
