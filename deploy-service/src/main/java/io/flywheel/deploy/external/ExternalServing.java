package io.flywheel.deploy.external;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Makes the clients of external versions, each checked before anything is sent: the URL against
 * the allow-list, the auth header's name, and its secret present and readable. One per service:
 * the HTTP client (connection pools), the secrets cache and the settings are shared; each version
 * gets its own circuit breaker (one endpoint's trouble does not stop another's traffic).
 */
public final class ExternalServing {

    /**
     * @param readTimeout how long a call waits for the endpoint's answer to begin
     * @param breaker     the breaker every endpoint gets
     */
    public record Settings(Duration readTimeout, CircuitBreaker.Settings breaker) {
    }

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the client sets itself, or that would change how the request is framed or routed. */
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("host", "content-length", "content-type", "connection", "expect",
            "upgrade", "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection", "accept", "date", "via", "warning");

    private final HostAllowList allowList;
    private final SecretRefs secrets;
    private final HttpClient http;
    private final Settings settings;
    private final LongSupplier nanoClock;

    public ExternalServing(HostAllowList allowList, SecretRefs secrets, HttpClient http, Settings settings, LongSupplier nanoClock) {
        this.allowList = allowList;
        this.secrets = secrets;
        this.http = http;
        this.settings = settings;
        this.nanoClock = nanoClock;
    }

    /**
     * A client for the endpoint, without any network traffic.
     *
     * @throws ExternalModel.NotServableException why deploy can't call it: no endpoint, a URL the
     *                                            allow-list refuses, a bad header name, a missing secret
     */
    public V2Client client(ExternalEndpoint endpoint, ExternalMetrics metrics) {
        if (endpoint == null) {
            throw new ExternalModel.NotServableException("the version is external but has no endpoint");
        }
        URI base;
        try {
            base = allowList.check(endpoint.url());
        } catch (HostAllowList.RefusedException e) {
            throw new ExternalModel.NotServableException(e.getMessage());
        }
        java.util.function.Supplier<V2Client.Header> auth = null;
        ExternalEndpoint.Auth a = endpoint.auth();
        if (a != null) {
            String header = a.header() == null || a.header().isBlank() ? "Authorization" : a.header().strip();
            if (!TOKEN.matcher(header).matches() || FORBIDDEN_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                throw new ExternalModel.NotServableException("auth.header '" + header + "' can't carry a secret (a header name deploy does not set itself, e.g. Authorization or X-Api-Key)");
            }
            String ref = a.secretRef();
            try {
                SecretRefs.checkRef(ref);
                secrets.get(ref); // present now, or the version is not deployable
            } catch (SecretRefs.SecretUnavailableException e) {
                throw new ExternalModel.NotServableException(e.getMessage());
            }
            auth = () -> new V2Client.Header(header, secrets.get(ref).value());
        }
        CircuitBreaker breaker = new CircuitBreaker(settings.breaker(), nanoClock, (from, to) -> metrics.breaker(to));
        return new V2Client(base, auth, http, settings.readTimeout(), breaker, metrics, nanoClock);
    }

    /** The client, then the endpoint's metadata fitted to the version's features (see {@link ExternalModel#of}). */
    public CompletableFuture<ExternalModel> load(ExternalEndpoint endpoint, List<ExternalModel.Feature> features, ExternalMetrics metrics) {
        V2Client client;
        try {
            client = client(endpoint, metrics);
        } catch (ExternalModel.NotServableException e) {
            return CompletableFuture.failedFuture(e);
        }
        return ExternalModel.connect(client, features);
    }

    public HostAllowList allowList() {
        return allowList;
    }
}
