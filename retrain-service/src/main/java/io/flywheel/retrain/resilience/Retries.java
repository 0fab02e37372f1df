package io.flywheel.retrain.resilience;

import io.flywheel.retrain.config.RetrainConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries calls to S3 and the registry that failed transiently ({@link TransientFailure}), with
 * exponential backoff and jitter (Mutiny), as configured under {@code retrain.retry}. Anything
 * else fails at once: a 400 from the registry does not get better by asking again.
 */
@ApplicationScoped
public class Retries {

    private final int maxRetries;
    private final Duration initial;
    private final Duration max;

    @Inject
    public Retries(RetrainConfig config) {
        this(config.retry().maxRetries(), config.retry().initialBackoff(), config.retry().maxBackoff());
    }

    /** Retries with these values (plain Java use, tests). */
    public Retries(int maxRetries, Duration initial, Duration max) {
        this.maxRetries = maxRetries;
        this.initial = initial;
        this.max = max;
    }

    /** The call, retried while it fails transiently; the last failure when all retries failed. */
    public <T> Uni<T> retrying(String what, Uni<T> call) {
        if (maxRetries <= 0) {
            return call;
        }
        return call
                .onFailure(TransientFailure::is).invoke(e -> Log.debugf("%s failed, will retry: %s", what, e.getMessage()))
                .onFailure(TransientFailure::is).retry().withBackOff(initial, max).withJitter(0.2).atMost(maxRetries);
    }

    /**
     * The call, retried on any failure: for work whose input is known to be good (a parsed event),
     * so that whatever fails is the infrastructure (the database, S3) and may pass.
     */
    public <T> Uni<T> retryingAny(String what, Uni<T> call) {
        if (maxRetries <= 0) {
            return call;
        }
        // each attempt runs on the caller's Vert.x context (the database session lives there), not on the timer's thread
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            Uni<T> attempt = context == null ? call : call.runSubscriptionOn(task -> context.runOnContext(ignored -> task.run()));
            return attempt
                    .onFailure().invoke(e -> Log.warnf("%s failed, will retry: %s", what, e.getMessage()))
                    .onFailure().retry().withBackOff(initial, max).withJitter(0.2).atMost(maxRetries);
        });
    }

    /** A blocking call, retried the same way; call it from a worker thread, never the event loop. */
    public <T> T blocking(String what, Supplier<T> call) {
        return retrying(what, Uni.createFrom().item(call)).await().indefinitely();
    }

    /** A blocking call without result. */
    public void blocking(String what, Runnable call) {
        blocking(what, () -> {
            call.run();
            return null;
        });
    }
}
