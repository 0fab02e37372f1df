package io.flywheel.deploy.external;

import io.flywheel.deploy.external.ExternalCallException.Kind;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Calls one Open Inference Protocol v2 model endpoint: {@code POST <url>/infer} through the
 * circuit breaker, {@code GET <url>/ready} and {@code GET <url>} (metadata) around it.
 *
 * <p>Asynchronous on the JDK's {@link HttpClient} ({@code sendAsync}): no thread waits for the
 * endpoint, and the answer is parsed on the client's executor, so the caller's event loop neither
 * blocks nor parses. The futures complete on that executor; a Vert.x caller resumes on its own
 * context (deploy's {@code CallerContext.resume}). Chosen over Vert.x's client so that this package
 * is plain Java, tested without a Vert.x instance; the JDK client pools connections per host too.
 *
 * <p>Timeouts: the connect timeout is the {@link HttpClient}'s ({@link #httpClient}); the read
 * timeout bounds each request until the endpoint's answer begins. Redirects are never followed
 * ({@link HttpClient.Redirect#NEVER}): a 3xx is a {@link Kind#BAD_GATEWAY}. The auth header's value
 * is looked up per call (a rotated secret is picked up, see {@link SecretRefs}) and appears in no
 * message. Failures are {@link ExternalCallException}s; see there for the classification.
 */
public final class V2Client {

    /** The header to send with every call, or null for none; looked up per call. */
    public record Header(String name, String value) {
        @Override
        public String toString() {
            return "Header[" + name + "]";
        }
    }

    private static final int MAX_MESSAGE = 300;

    private final URI base;
    private final URI infer;
    private final URI ready;
    private final Supplier<Header> auth;
    private final HttpClient http;
    private final Duration readTimeout;
    private final CircuitBreaker breaker;
    private final ExternalMetrics metrics;
    private final LongSupplier nanoClock;

    /**
     * @param base        the checked base URL ({@link HostAllowList#check}), without a trailing slash
     * @param auth        the header per call (may throw {@link SecretRefs.SecretUnavailableException}); null for none
     * @param readTimeout how long to wait for an answer to begin
     */
    public V2Client(URI base, Supplier<Header> auth, HttpClient http, Duration readTimeout, CircuitBreaker breaker,
                    ExternalMetrics metrics, LongSupplier nanoClock) {
        this.base = base;
        this.infer = URI.create(base + "/infer");
        this.ready = URI.create(base + "/ready");
        this.auth = auth;
        this.http = http;
        this.readTimeout = readTimeout;
        this.breaker = breaker;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
    }

    /** The client every endpoint shares: HTTP/1.1, never following redirects, with this connect timeout. */
    public static HttpClient httpClient(Duration connectTimeout, Executor executor) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout);
        if (executor != null) {
            builder.executor(executor);
        }
        return builder.build();
    }

    public URI base() {
        return base;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Scores a request. Fails with {@link ExternalCallException}: at once with {@link Kind#CIRCUIT_OPEN}
     * (nothing sent) while the breaker is open, else as the endpoint answered.
     */
    public CompletableFuture<V2.InferResponse> infer(V2.InferRequest request) {
        HttpRequest http;
        try {
            http = request(infer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(V2.JSON.writeValueAsBytes(request))).build();
        } catch (ExternalCallException e) {
            metrics.failed(e.kind(), 0); // deploy's side can't call (secret missing): nothing sent, the breaker not involved
            return CompletableFuture.failedFuture(e);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the request could not be written as JSON", e));
        }
        CircuitBreaker.Permit permit = breaker.tryAcquire();
        if (permit == null) {
            Duration retry = breaker.retryAfter();
            metrics.failed(Kind.CIRCUIT_OPEN, 0);
            return CompletableFuture.failedFuture(new ExternalCallException(Kind.CIRCUIT_OPEN,
                    "the endpoint " + base + " failed repeatedly; deploy stopped calling it for a while (circuit breaker open)",
                    0, retry.isZero() ? Duration.ofSeconds(1) : retry));
        }
        long start = nanoClock.getAsLong();
        return this.http.sendAsync(http, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    long nanos = nanoClock.getAsLong() - start;
                    try {
                        V2.InferResponse answer = answer(response, failure);
                        permit.success();
                        metrics.answered(nanos);
                        return answer;
                    } catch (ExternalCallException e) {
                        if (e.kind().endpointFault()) {
                            permit.failure();
                        } else {
                            permit.success();
                        }
                        metrics.failed(e.kind(), nanos);
                        throw e;
                    }
                });
    }

    /** The endpoint's model metadata (its inputs and outputs); not counted by the breaker. */
    public CompletableFuture<V2.ModelMetadata> metadata() {
        HttpRequest http;
        try {
            http = request(base).GET().build();
        } catch (ExternalCallException e) {
            return CompletableFuture.failedFuture(e);
        }
        return this.http.sendAsync(http, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
            check(response, failure, "GET " + base);
            try {
                V2.ModelMetadata metadata = V2.JSON.readValue(response.body(), V2.ModelMetadata.class);
                if (metadata == null || metadata.inputs() == null || metadata.inputs().isEmpty()) {
                    throw new ExternalCallException(Kind.BAD_GATEWAY, "GET " + base + " answered model metadata without inputs");
                }
                return metadata;
            } catch (IOException e) {
                throw new ExternalCallException(Kind.BAD_GATEWAY, "GET " + base + " did not answer v2 model metadata: " + brief(e.getMessage()));
            }
        });
    }

    /**
     * Whether {@code GET <url>/ready} answers 200; false on any other status, a timeout or no
     * connection (never fails). Not counted by the breaker: probes run on a schedule, not per request.
     */
    public CompletableFuture<Boolean> ready() {
        HttpRequest http;
        try {
            http = request(ready).GET().build();
        } catch (ExternalCallException e) {
            metrics.ready(false);
            return CompletableFuture.completedFuture(false);
        }
        return this.http.sendAsync(http, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            boolean ok = failure == null && response.statusCode() == 200;
            metrics.ready(ok);
            return ok;
        });
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(readTimeout).header("Accept", "application/json");
        if (auth != null) {
            Header header;
            try {
                header = auth.get();
            } catch (SecretRefs.SecretUnavailableException e) {
                throw new ExternalCallException(Kind.NOT_CALLABLE, e.getMessage());
            }
            if (header != null) {
                builder.header(header.name(), header.value());
            }
        }
        return builder;
    }

    private V2.InferResponse answer(HttpResponse<byte[]> response, Throwable failure) {
        check(response, failure, "POST " + infer);
        try {
            V2.InferResponse answer = V2.JSON.readValue(response.body(), V2.InferResponse.class);
            if (answer == null || answer.outputs() == null || answer.outputs().isEmpty()) {
                throw new ExternalCallException(Kind.BAD_GATEWAY, "POST " + infer + " answered 200 without outputs", 200, null);
            }
            return answer;
        } catch (IOException e) {
            throw new ExternalCallException(Kind.BAD_GATEWAY, "POST " + infer + " answered 200 with no v2 inference response: "
                    + brief(e.getMessage()), 200, null);
        }
    }

    /** Passes a 200; throws the classified failure for anything else. */
    private void check(HttpResponse<byte[]> response, Throwable failure, String call) {
        if (failure != null) {
            throw classify(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure, call);
        }
        int status = response.statusCode();
        if (status == 200) {
            return;
        }
        String said = message(response.body());
        throw switch (status) {
            case 400, 422 -> new ExternalCallException(Kind.INVALID_INPUT, said.isEmpty()
                    ? "the model endpoint refused the input (HTTP " + status + ")" : "the model endpoint refused the input: " + said, status, null);
            case 401, 403 -> new ExternalCallException(Kind.BAD_GATEWAY, call + " answered " + status
                    + ": the endpoint does not accept deploy's credentials (check the secret named by auth.secret_ref)", status, null);
            case 404 -> new ExternalCallException(Kind.BAD_GATEWAY, call + " answered 404: no model at that URL", status, null);
            case 408, 504 -> new ExternalCallException(Kind.TIMEOUT, call + " answered " + status + " (timed out behind it)", status, null);
            case 429, 503 -> new ExternalCallException(Kind.UNAVAILABLE, call + " answered " + status
                    + (said.isEmpty() ? "" : ": " + said), status, retryAfter(response));
            default -> status >= 300 && status < 400
                    ? new ExternalCallException(Kind.BAD_GATEWAY, call + " answered a redirect (" + status
                    + "); deploy follows none: register the final URL", status, null)
                    : new ExternalCallException(Kind.BAD_GATEWAY, call + " answered " + status + (said.isEmpty() ? "" : ": " + said),
                    status, null);
        };
    }

    private ExternalCallException classify(Throwable failure, String call) {
        if (failure instanceof ExternalCallException e) {
            return e;
        }
        if (failure instanceof HttpConnectTimeoutException || failure instanceof ConnectException) {
            return new ExternalCallException(Kind.UNAVAILABLE, call + ": can't connect (" + failure.getClass().getSimpleName() + ")");
        }
        if (failure instanceof HttpTimeoutException) {
            return new ExternalCallException(Kind.TIMEOUT, call + ": no answer within " + readTimeout.toMillis() + " ms");
        }
        if (failure instanceof IOException) {
            return new ExternalCallException(Kind.BAD_GATEWAY, call + ": the connection failed (" + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + brief(failure.getMessage())) + ")");
        }
        return new ExternalCallException(Kind.BAD_GATEWAY, call + " failed: " + failure);
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                long seconds = Long.parseLong(v.strip());
                return seconds >= 0 && seconds < 3600 ? Duration.ofSeconds(seconds) : null;
            } catch (NumberFormatException e) {
                return null; // an HTTP date: rare from model servers, not worth parsing
            }
        }).orElse(null);
    }

    /** The endpoint's own message: a v2 {@code {"error": ...}} or the start of its text. */
    private static String message(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            V2.Error error = V2.JSON.readValue(body, V2.Error.class);
            if (error != null && error.error() != null) {
                return brief(error.error());
            }
        } catch (IOException | RuntimeException e) {
            // not the protocol's error shape: fall back to the text
        }
        return brief(new String(body, 0, Math.min(body.length, MAX_MESSAGE * 4), StandardCharsets.UTF_8).strip());
    }

    private static String brief(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replaceAll("[\\r\\n\\t]+", " ");
        return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) + "…" : line;
    }
}
