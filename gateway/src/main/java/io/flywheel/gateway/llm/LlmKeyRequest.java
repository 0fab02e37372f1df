package io.flywheel.gateway.llm;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An LLM project's key pair, presented as HTTP Basic {@code publicKey:secretKey}. */
public class LlmKeyRequest extends BaseAuthenticationRequest {
    private final LlmKeys.Presented pair;

    public LlmKeyRequest(LlmKeys.Presented pair) {
        this.pair = pair;
    }

    public LlmKeys.Presented pair() {
        return pair;
    }
}
