package io.flywheel.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where an external version is served: the base URL of an Open Inference Protocol v2 model (deploy
 * posts to {@code <url>/infer}, reads {@code <url>/ready}) and, optionally, the header deploy sends
 * with a secret it reads from its own secrets directory. The secret's value never reaches the registry.
 */
public record Endpoint(
        @NotNull(message = "endpoint.url is required")
        @Size(max = 2048, message = "endpoint.url is limited to 2048 characters")
        @Pattern(regexp = Endpoint.URL, message = "endpoint.url " + Endpoint.URL_RULE)
        String url,
        @Valid
        Auth auth) {

    /** http or https, an authority without user info, a path; no query, fragment, spaces or backslashes. */
    static final String URL = "(?i)https?://[^/?#@\\s\\\\]+(/[^?#\\s\\\\]*)?";
    static final String URL_RULE = "must be an http:// or https:// URL with a host, without user info, query or fragment";

    /**
     * The header deploy adds, and the name of the secret that holds its value.
     *
     * @param header    an HTTP header name (RFC 9110 token), not one that frames the request
     * @param secretRef a file name in deploy's secrets directory
     */
    public record Auth(
            @NotNull(message = "endpoint.auth.header is required")
            @Pattern(regexp = Auth.HEADER, message = "endpoint.auth.header must be an HTTP header name"
                    + " (letters, digits and !#$%&'*+.^_`|~-, at most 64) other than Host, Content-Length,"
                    + " Content-Type, Transfer-Encoding, Connection, TE, Upgrade, Trailer or Keep-Alive")
            String header,
            @NotNull(message = "endpoint.auth.secret_ref is required")
            @Pattern(regexp = Auth.SECRET_REF, message = "endpoint.auth.secret_ref must match [A-Za-z0-9_-][A-Za-z0-9._-]{0,127}"
                    + " (it names a file in deploy's secrets directory, so no leading dot)")
            @JsonProperty("secret_ref")
            String secretRef) {

        static final String HEADER = "(?i)(?!(host|content-length|content-type|transfer-encoding|connection|te|upgrade"
                + "|trailer|keep-alive|proxy-connection)$)[!#$%&'*+.^_`|~0-9a-z-]{1,64}";
        static final String SECRET_REF = "[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}";
    }

    /**
     * What the patterns above can't say: the URL parses (java.net.URI, RFC 3986) and names a host.
     *
     * @throws InvalidRequestException naming the field
     */
    public void checkUrl() {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("endpoint.url is not a valid URL: " + e.getMessage());
        }
        if (uri.getHost() == null || uri.getHost().isEmpty() || uri.getRawUserInfo() != null) {
            throw new InvalidRequestException("endpoint.url " + URL_RULE + " (got '" + url + "')");
        }
    }
}
