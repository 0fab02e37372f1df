package io.flywheel.readiness;

import io.flywheel.problem.Unavailability;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * What a Kafka consumer does when handling a record fails. While something it needs is down (its
 * database, the broker, S3, another service: {@link Unavailability}), it waits and tries again, with a
 * pause growing from 100 ms to 2 s, for as long as it takes: the record, and with it its partition,
 * holds (records are handled one at a time, in order), and nothing is lost. Any other failure is the
 * record's own: it goes to the dead-letter topic and the consumer goes on.
 *
 * <p>Why not just fail: a consumer that takes the {@code Message} acknowledges by hand, so SmallRye's
 * {@code SubscriberMediator} does not nack a failed {@code Uni}; it fails the whole stream. That
 * records an application failure that keeps readiness DOWN for good and cancels the Kafka source,
 * which closes the consumer: nothing reads the topic again until the process restarts. Waiting keeps
 * the consumer in its group (the client keeps polling with the partitions paused).
 *
 * <p>Running a step again must count nothing twice: the steps retried here are idempotent (reads,
 * upserts, work deduplicated by the event's id), and a consumer's state changes only after its step
 * has succeeded.
 */
public final class UntilAvailable {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    /** Bounds how long after the dependency's return a consumer takes to notice. */
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private UntilAvailable() {
    }

    /** The step, run again while what it needs is unavailable; other failures pass through at once. */
    public static <T> Uni<T> retry(String channel, Supplier<Uni<T>> step) {
        Context context = Vertx.currentContext(); // the record's: carry on there after a pause
        return Uni.createFrom().<T>deferred(step::get).onFailure(Unavailability::isTransient).recoverWithUni(first -> {
            Log.warnf("%s: %s; the channel waits and tries again", channel, describe(first));
            Uni<T> again = Uni.createFrom().<T>deferred(step::get)
                    .onFailure(Unavailability::isTransient).retry().withBackOff(FIRST_PAUSE, LONGEST_PAUSE).indefinitely()
                    .invoke(() -> Log.infof("%s: available again; the channel goes on", channel));
            return context == null ? again : again.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }

    /**
     * A consumer's whole handling of a record: the work, run again while a dependency is down, then the
     * record acknowledged; a failure of the record's own sends it to the dead-letter topic (nack).
     */
    public static Uni<Void> settle(String channel, Message<?> message, Supplier<Uni<?>> work) {
        return retry(channel, () -> work.get().replaceWithVoid())
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    Log.warnf("%s: a record could not be handled and goes to the dead-letter topic: %s", channel, describe(failure));
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }

    private static String describe(Throwable failure) {
        return Unavailability.of(failure).map(p -> p.type() + " (" + failure.getMessage() + ")")
                .orElseGet(() -> failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }
}
