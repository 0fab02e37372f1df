package io.flywheel.gateway.routing;

import io.flywheel.gateway.config.GatewayConfig;
import io.flywheel.problem.Problem;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.util.TypeLiteral;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * Prefix routing of the public surface to the service that owns it, through Vert.x's reverse proxy:
 * requests and answers stream through untouched (headers, bodies, status). Per service: a timeout
 * on silence, a circuit breaker (SmallRye Fault Tolerance) and, for idempotent methods only,
 * retries when the service can't be reached. A service that can't answer is a 503 (504 on timeout)
 * problem that names it.
 */
@ApplicationScoped
public class ServiceRoutes {

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final TypeLiteral<CompletionStage<ProxyResponse>> RESPONSE = new TypeLiteral<>() {
    };

    void register(@Observes Router router, Vertx vertx, GatewayConfig config) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setConnectTimeout(2_000));
        config.services().forEach((name, service) -> {
            HttpProxy proxy = HttpProxy.reverseProxy(client)
                    .origin(originOf(service.url(), service.timeout().toMillis()))
                    .addInterceptor(new Forwarding(name, guards(name, config)));
            List<String> except = service.except().orElse(List.of());
            io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> handler = rc -> {
                if (kept(rc.normalizedPath(), except)) {
                    rc.next(); // the gateway's own route under the service's prefix
                } else {
                    proxy.handle(rc.request());
                }
            };
            for (String prefix : service.prefixes()) {
                router.route(prefix).handler(handler);
                router.route(prefix + "/*").handler(handler);
                Log.debugf("route %s/* -> %s (%s)", prefix, name, service.url());
            }
        });
    }

    /** Whether a path is one the gateway keeps for itself (the same case-sensitive reading as the router's). */
    static boolean kept(String path, List<String> except) {
        for (String prefix : except) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    private static io.vertx.httpproxy.OriginRequestProvider originOf(URI url, long timeoutMillis) {
        SocketAddress address = SocketAddress.inetSocketAddress(url.getPort(), url.getHost());
        return context -> context.client().request(new RequestOptions().setServer(address).setIdleTimeout(timeoutMillis));
    }

    /** One circuit breaker per service, shared by both guards; retries only in the idempotent one. */
    private record Guards(TypedGuard<CompletionStage<ProxyResponse>> idempotent,
                          TypedGuard<CompletionStage<ProxyResponse>> other) {
    }

    private static Guards guards(String service, GatewayConfig config) {
        var breaker = config.circuitBreaker();
        String breakerName = "gateway-" + service;
        TypedGuard<CompletionStage<ProxyResponse>> other = TypedGuard.create(RESPONSE)
                .withDescription(service)
                .withCircuitBreaker().name(breakerName)
                .requestVolumeThreshold(breaker.requestVolume()).failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS).done()
                .withThreadOffload(false)
                .build();
        TypedGuard<CompletionStage<ProxyResponse>> idempotent = TypedGuard.create(RESPONSE)
                .withDescription(service + " (idempotent)")
                .withRetry().maxRetries(config.retries()).delay(50, ChronoUnit.MILLIS)
                .abortOn(CircuitBreakerOpenException.class).done()
                .withThreadOffload(false)
                .build();
        return new Guards(idempotent, other);
    }

    /**
     * Tells the service where the caller connected (so the links it writes, e.g. {@code Location},
     * point at the gateway), keeps the caller's credentials at the gateway (the service learns who
     * calls from the internal token in Authorization), and turns "could not reach the service" into a
     * problem naming it.
     */
    private record Forwarding(String service, Guards guards) implements ProxyInterceptor {
        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            var incoming = context.request().proxiedRequest();
            // the caller's key and cookies stay here; Authorization is the internal token CallerFilter put there
            context.request().headers()
                    .remove("X-API-Key")
                    .remove("Cookie")
                    .set("X-Forwarded-Host", incoming.authority() == null ? "" : incoming.authority().toString())
                    .set("X-Forwarded-Proto", incoming.scheme() == null ? "http" : incoming.scheme());
            boolean retryable = IDEMPOTENT.contains(incoming.method()) && !hasBody(incoming);
            if (retryable) {
                // a body that can be sent again: the caller's is a stream that can be read only once
                context.request().setBody(Body.body(Buffer.buffer()));
            }
            // retry wraps the circuit breaker: every attempt counts, and an open circuit stops retrying
            CompletionStage<ProxyResponse> sent = retryable
                    ? guards.idempotent().get(() -> guards.other().get(() -> context.sendRequest().toCompletionStage()))
                    : guards.other().get(() -> context.sendRequest().toCompletionStage());
            return Future.fromCompletionStage(sent).recover(error -> unavailable(context, error));
        }

        private static boolean hasBody(io.vertx.core.http.HttpServerRequest request) {
            String length = request.getHeader("Content-Length");
            return request.getHeader("Transfer-Encoding") != null || (length != null && !"0".equals(length));
        }

        private Future<ProxyResponse> unavailable(ProxyContext context, Throwable error) {
            boolean open = error instanceof CircuitBreakerOpenException;
            boolean timedOut = error instanceof TimeoutException || error instanceof io.netty.handler.timeout.TimeoutException
                    || String.valueOf(error.getMessage()).contains("timeout");
            if (!open) {
                Log.warnf("%s is unavailable for %s %s: %s", service, context.request().getMethod(),
                        context.request().getURI(), error.getMessage());
            }
            int status = timedOut ? 504 : 503;
            String detail = open ? service + " is unavailable (circuit open after repeated failures); retry later"
                    : timedOut ? service + " did not answer in time; retry later"
                    : service + " is unavailable; retry later";
            Problem problem = Problem.of(status, timedOut ? "service-timeout" : "service-unavailable", detail)
                    .with("service", service).retryAfter(5).at(context.request().proxiedRequest().path());
            ProxyResponse response = context.request().response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Retry-After", "5")
                    .setBody(Body.body(Buffer.buffer(problem.toJson())));
            return Future.succeededFuture(response);
        }
    }
}
