package io.flywheel.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Sends committed outbox rows to Kafka in the order they were written and marks them sent once the
 * broker has acknowledged. A crash after the send and before the mark sends the event again with the
 * same id: delivery is at least once and consumers dedupe by CloudEvent id. The channel
 * {@code outbox} is mapped to the service's own topic in its configuration.
 *
 * <p>Several replicas relay side by side and one key's events (a model's, a prompt's) still reach
 * Kafka in order: a relay takes only the keys whose advisory lock it holds for its transaction, so a
 * key's pending rows are claimed by one relay at a time, which sends them one after the other. Rows
 * are ordered by when they were written ({@code created_at}, then id); two transactions writing the
 * same key at once without a row lock between them could commit in the other order, which is why the
 * services write a key's events after changing (and so locking) the row they announce.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final int BATCH = 200;
    /** The first half of the relay's advisory locks ({@code pg_try_advisory_xact_lock(int, int)}), apart from anyone else's. */
    private static final int LOCK_CLASS = 0x0b0c;

    private final MutinyEmitter<String> emitter;
    private final boolean enabled;

    public OutboxRelay(@Channel("outbox") MutinyEmitter<String> emitter,
                       /* false stops the relay (rows still commit and wait): for maintenance and crash tests */
                       @ConfigProperty(name = "flywheel.outbox.enabled", defaultValue = "true") boolean enabled) {
        this.emitter = emitter;
        this.enabled = enabled;
    }

    // not before start-up is over: the emitter is only connected to Kafka then
    @Scheduled(every = "${flywheel.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relayOnSchedule() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return relay().onFailure().invoke(e -> Log.warnf("outbox relay failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Sends what is pending; returns how many events went out. */
    @WithTransaction
    public Uni<Integer> relay() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select * from outbox_event where sent_at is null"
                                        + " and pg_try_advisory_xact_lock(" + LOCK_CLASS + ", hashtext(event_key))"
                                        + " order by created_at, id limit " + BATCH + " for update skip locked", OutboxEvent.class)
                        .getResultList())
                .chain(this::sendInOrder);
    }

    private Uni<Integer> sendInOrder(List<OutboxEvent> pending) {
        if (pending.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(pending)
                .onItem().transformToUniAndConcatenate(event -> emitter.sendMessage(toMessage(event))
                        .invoke(() -> event.sentAt = Instant.now()))
                .collect().last()
                .replaceWith(pending.size())
                .invoke(n -> Log.debugf("outbox: sent %d event(s)", n));
    }

    private static Message<String> toMessage(OutboxEvent event) {
        return Message.of(event.payload)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(event.id.toString())
                        .withType(event.type)
                        .withSubject(event.eventKey)
                        .withTimestamp(event.createdAt.atZone(ZoneOffset.UTC))
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.eventKey).build());
    }
}
