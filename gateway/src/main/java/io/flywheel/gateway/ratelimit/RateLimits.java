package io.flywheel.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flywheel.gateway.config.GatewayConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * A token bucket per caller (Bucket4j): a sustained rate and a burst, both from configuration. The
 * buckets sit in a bounded cache; an idle caller's bucket is dropped (it would be full again anyway).
 */
@ApplicationScoped
public class RateLimits {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();
    private final long perSecond;
    private final long burst;

    public RateLimits(GatewayConfig config) {
        this.perSecond = config.rateLimit().requestsPerSecond();
        this.burst = config.rateLimit().burst();
    }

    /** Takes one token; when there is none, how many seconds until there is. */
    public OptionalLong tryAcquire(String caller) {
        Bucket bucket = buckets.get(caller, c -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }
}
