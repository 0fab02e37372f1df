package io.flywheel.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** The services behind the gateway, by name, with the path prefixes each owns. */
    Map<String, Service> services();

    /** How long a readiness probe of one service may take before it counts as DOWN. */
    @WithDefault("2s")
    Duration readinessTimeout();

    Ingest ingest();

    interface Service {
        URI url();

        List<String> prefixes();
    }

    interface Ingest {
        /** Most records one ingest request may carry. */
        @WithDefault("10000")
        int maxRecords();
    }
}
