package io.flywheel.registry.outbox;

import io.agroal.api.AgroalDataSource;
import io.flywheel.outbox.OutboxRelay;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Relays side by side (as replicas of a service would run them) keep each key's events in order.
 * Events of many keys wait interleaved in the outbox, so that any relay's batch holds some of every
 * key's events; three relays then drain it at once. Every key's events must reach Kafka exactly once
 * and in the order they were written. Claiming rows with {@code SKIP LOCKED} alone failed this: the
 * second relay's batch took the same keys' later events and sent them while the first was still
 * sending the earlier ones.
 */
@QuarkusTest
@TestProfile(OutboxStoppedProfile.class)
class OutboxOrderTest {

    private static final int KEYS = 20;
    private static final int EVENTS_PER_KEY = 15; // 300 rows: more than one relay batch (200), so two relays share every key
    private static final int RELAYS = 3;
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

    @Inject
    OutboxRelay relay;

    @Inject
    AgroalDataSource database;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String topic;

    @Test
    void relaysSideBySideKeepEveryKeysOrder() throws Exception {
        String run = "order-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> keys = IntStream.range(0, KEYS).mapToObj(k -> run + k).toList();
        writeInterleaved(keys);

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic)) {
            ExecutorService relays = Executors.newFixedThreadPool(RELAYS);
            try {
                List<Future<Integer>> sent = new ArrayList<>();
                for (int r = 0; r < RELAYS; r++) {
                    sent.add(relays.submit(() -> drain(run)));
                }
                int total = 0;
                for (Future<Integer> s : sent) {
                    total += s.get();
                }
                assertThat(total).as("events sent by the relays together").isGreaterThanOrEqualTo(KEYS * EVENTS_PER_KEY);
            } finally {
                relays.shutdownNow();
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> records.stream().filter(r -> r.key().startsWith(run)).count()
                    >= KEYS * EVENTS_PER_KEY);
            Map<String, List<Integer>> received = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> record : records.stream().filter(r -> r.key().startsWith(run)).toList()) {
                Matcher seq = SEQ.matcher(record.value());
                assertThat(seq.find()).as("payload %s", record.value()).isTrue();
                received.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Integer.parseInt(seq.group(1)));
            }
            List<Integer> inOrder = IntStream.range(0, EVENTS_PER_KEY).boxed().toList();
            for (String key : keys) {
                assertThat(received.get(key)).as("the events of %s as Kafka has them", key).isEqualTo(inOrder);
            }
        }
    }

    /** One relay's loop, as a replica's schedule runs it: until its query finds nothing of this test's left. */
    private int drain(String run) throws Exception {
        int sent = 0;
        while (unsent(run) > 0) {
            int batch = relayOnce();
            if (batch == 0) {
                Thread.sleep(20); // the others hold every key left
            }
            sent += batch;
        }
        return sent;
    }

    private int relayOnce() throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> relay.relay());
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Round robin over the keys: event 0 of every key, then event 1 of every key, … The payload as
     * {@code Outbox.add} leaves it (the event's JSON text bound as a string: a JSON string in the column).
     */
    private void writeInterleaved(List<String> keys) throws Exception {
        Instant start = Instant.now();
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into registry.outbox_event (id, event_key, type, payload, created_at) values (?, ?, 'test.order', to_jsonb(?::text), ?)")) {
            int n = 0;
            for (int seq = 0; seq < EVENTS_PER_KEY; seq++) {
                for (String key : keys) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setString(2, key);
                    insert.setString(3, "{\"seq\": " + seq + "}");
                    insert.setTimestamp(4, Timestamp.from(start.plusNanos(1_000L * n++)));
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private long unsent(String run) throws Exception {
        try (Connection connection = database.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "select count(*) from registry.outbox_event where sent_at is null and event_key like ?")) {
            query.setString(1, run + "%");
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
