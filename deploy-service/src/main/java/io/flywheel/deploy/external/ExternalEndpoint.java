package io.flywheel.deploy.external;

/**
 * Where an external version is served, as the registry stores it on the version
 * ({@code "endpoint": {"url": "https://models.example.com/v2/models/churn", "auth": {"header":
 * "Authorization", "secret_ref": "churn-token"}}}, docs/CONTRACTS.md "Model formats"). {@code url}
 * is the v2 model's base URL; {@code auth} is optional and names a secret, never its value.
 */
public record ExternalEndpoint(String url, Auth auth) {

    /** The header to send and the secret (a file in deploy's secrets directory) holding its value. */
    public record Auth(String header, String secretRef) {
    }
}
