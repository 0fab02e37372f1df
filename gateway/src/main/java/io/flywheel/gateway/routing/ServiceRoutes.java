package io.flywheel.gateway.routing;

import io.flywheel.gateway.config.GatewayConfig;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;

/**
 * Prefix routing of the public surface to the service that owns it, through Vert.x's reverse proxy:
 * requests and answers stream through untouched (headers, bodies, status), {@code X-Request-Id}
 * included. A service that can't be reached is a 503 problem that names it.
 */
@ApplicationScoped
public class ServiceRoutes {

    void register(@Observes Router router, Vertx vertx, GatewayConfig config) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setConnectTimeout(2_000));
        config.services().forEach((name, service) -> {
            URI url = service.url();
            HttpProxy proxy = HttpProxy.reverseProxy(client)
                    .origin(url.getPort(), url.getHost())
                    .addInterceptor(new Forwarding(name));
            for (String prefix : service.prefixes()) {
                router.route(prefix).handler(rc -> proxy.handle(rc.request()));
                router.route(prefix + "/*").handler(rc -> proxy.handle(rc.request()));
                Log.debugf("route %s/* -> %s (%s)", prefix, name, url);
            }
        });
    }

    /**
     * Tells the service where the caller connected (so the links it writes, e.g. {@code Location},
     * point at the gateway), keeps credentials at the gateway (the service learns who calls from
     * X-Flywheel-Principal), and turns "could not reach the service" into a problem naming it.
     */
    private record Forwarding(String service) implements ProxyInterceptor {
        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            var incoming = context.request().proxiedRequest();
            context.request().headers()
                    .remove("X-API-Key")
                    .remove("Authorization")
                    .remove("Cookie")
                    .set("X-Forwarded-Host", incoming.authority() == null ? "" : incoming.authority().toString())
                    .set("X-Forwarded-Proto", incoming.scheme() == null ? "http" : incoming.scheme());
            return context.sendRequest().recover(error -> {
                Log.warnf("%s is unavailable for %s %s: %s", service, context.request().getMethod(),
                        context.request().getURI(), error.getMessage());
                String body = new JsonObject()
                        .put("type", "urn:flywheel:problem:service-unavailable")
                        .put("title", "Service Unavailable")
                        .put("status", 503)
                        .put("detail", service + " is unavailable; retry later")
                        .put("service", service)
                        .encode();
                ProxyResponse response = context.request().response()
                        .setStatusCode(503)
                        .putHeader("Content-Type", "application/problem+json")
                        .putHeader("Retry-After", "5")
                        .setBody(Body.body(Buffer.buffer(body)));
                return Future.succeededFuture(response);
            });
        }
    }
}
