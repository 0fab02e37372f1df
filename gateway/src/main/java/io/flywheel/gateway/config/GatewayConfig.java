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
        /** An admin key from configuration, stored at start, so the first keys can be created on a fresh install. */
        Optional<String> bootstrapKey();

        SignIn signIn();
    }

    /** Attempts at the dashboard's sign-in form per client address: a burst, then one every refill interval. */
    interface SignIn {
        @WithDefault("10")
        int burst();

        @WithDefault("6s")
        Duration refill();
    }

    interface RateLimit {
        /** Sustained requests per second per caller. */
        @WithDefault("500")
        long requestsPerSecond();

        /** Requests a caller may send at once above the sustained rate. */
        @WithDefault("1000")
        long burst();
    }

    /** Retries of idempotent requests (GET, HEAD, OPTIONS) whose service could not be reached. */
    @WithDefault("2")
    int retries();

    CircuitBreaker circuitBreaker();

    interface Service {
        URI url();

        List<String> prefixes();

        /** Paths under those prefixes that the gateway answers itself (e.g. /api/v1/llm/projects under /api/v1/llm). */
        Optional<List<String>> except();

        /** Longest silence on a proxied exchange before it is given up (a 504 problem). */
        @WithDefault("30s")
        Duration timeout();
    }

    /** Per service: opens after this share of failures in the last requests, stays open for the delay. */
    interface CircuitBreaker {
        @WithDefault("10")
        int requestVolume();

        @WithDefault("0.5")
        double failureRatio();

        @WithDefault("5s")
        Duration delay();
    }

    interface Ingest {
        /** Most records one ingest request may carry. */
        @WithDefault("10000")
        int maxRecords();

    }
}
