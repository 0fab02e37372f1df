package io.flywheel.gateway.ratelimit;

import io.flywheel.gateway.config.GatewayConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A token bucket per caller (Bucket4j): a sustained rate and a burst, both from configuration. */
@ApplicationScoped
public class RateLimits {

    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final long perSecond;
    private final long burst;

    public RateLimits(GatewayConfig config) {
        this.perSecond = config.rateLimit().requestsPerSecond();
        this.burst = config.rateLimit().burst();
    }

    /** Takes one token; when there is none, how many seconds until there is. */
    public OptionalLong tryAcquire(String caller) {
        Bucket bucket = buckets.computeIfAbsent(caller, c -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }
}
