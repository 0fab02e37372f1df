package io.flywheel.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** The services behind the gateway, by name, with the path prefixes each owns. */
    Map<String, Service> services();

    /** How long a readiness probe of one service may take before it counts as DOWN. */
    @WithDefault("2s")
    Duration readinessTimeout();

    Ingest ingest();

    Auth auth();

    RateLimit rateLimit();

    interface Auth {
        /** An admin key accepted from configuration, so the first key can be created on a fresh install. */
        Optional<String> bootstrapKey();
    }

    interface RateLimit {
        /** Sustained requests per second per caller. */
        @WithDefault("500")
        long requestsPerSecond();

        /** Requests a caller may send at once above the sustained rate. */
        @WithDefault("1000")
        long burst();
    }

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
