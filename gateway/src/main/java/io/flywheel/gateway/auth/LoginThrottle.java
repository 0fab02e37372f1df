package io.flywheel.gateway.auth;

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
 * Guessing keys at the sign-in form is slow: {@code gateway.auth.sign-in.burst} attempts at once per
 * client address (10), then one every {@code refill} (6 s), with Bucket4j. The buckets live in a
 * bounded cache, so a flood of addresses can't grow memory.
 */
@ApplicationScoped
public class LoginThrottle {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();
    private final int burst;
    private final Duration refill;

    public LoginThrottle(GatewayConfig config) {
        this.burst = config.auth().signIn().burst();
        this.refill = config.auth().signIn().refill();
    }

    /** Takes one attempt; when there is none left, how many seconds until there is. */
    public OptionalLong tryAttempt(String clientAddress) {
        Bucket bucket = buckets.get(clientAddress, a -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(1, refill).build()).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? OptionalLong.empty()
                : OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }
}
