package io.flywheel.deploy.serving;

import io.flywheel.deploy.config.DeployConfig;
import io.flywheel.deploy.external.CircuitBreaker;
import io.flywheel.deploy.external.ExternalServing;
import io.flywheel.deploy.external.HostAllowList;
import io.flywheel.deploy.external.SecretRefs;
import io.flywheel.deploy.external.V2Client;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;

/**
 * The one {@link ExternalServing} of the service, from {@code deploy.external.*}: one HTTP client
 * (connection pools per host), one secrets cache, the allow-list; a bad allow-list pattern or breaker
 * setting stops the start, it does not wait for the first external version.
 */
@ApplicationScoped
public class ExternalServingProducer {

    private volatile HttpClient http;

    @Produces
    @Singleton
    ExternalServing externalServing(DeployConfig config) {
        DeployConfig.External external = config.external();
        List<String> hosts = external.allowedHosts().orElse(List.of());
        HostAllowList allowList = HostAllowList.of(hosts);
        DeployConfig.External.Breaker b = external.breaker();
        CircuitBreaker.Settings breaker = new CircuitBreaker.Settings(b.consecutiveFailures(), b.failureRatio(), b.window(), b.openFor(),
                b.probes());
        SecretRefs secrets = new SecretRefs(external.secretsDir().map(Path::of).orElse(null), external.secretRecheck());
        http = V2Client.httpClient(external.connectTimeout(), null);
        if (!hosts.isEmpty()) {
            Log.infof("external versions may be served from %s", hosts);
        }
        return new ExternalServing(allowList, secrets, http, new ExternalServing.Settings(external.readTimeout(), breaker), System::nanoTime);
    }

    @PreDestroy
    void close() {
        HttpClient client = http;
        if (client != null) {
            client.shutdownNow();
        }
    }
}
