package io.flywheel.registry.outbox;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.outbox.OutboxRelay;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.flywheel.registry.Fixtures.createDraft;
import static io.flywheel.registry.Fixtures.createModel;
import static io.flywheel.registry.Fixtures.randomBytes;
import static io.flywheel.registry.Fixtures.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crash between the database commit and the send loses no event. The relay is stopped (as if the
 * process died right after committing): the changes are committed with their events, which wait in
 * the outbox and reach nobody. Then the relay runs again (as after a restart) and each event is
 * delivered once, with its outbox row's id as CloudEvent id; running it once more sends nothing again.
 */
@QuarkusTest
@TestProfile(OutboxStoppedProfile.class)
class OutboxCrashTest {

    @Inject
    OutboxRelay relay;

    @Inject
    AgroalDataSource database;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String topic;

    @Test
    void eventsCommittedWhileTheSenderIsDownAreDeliveredOnceItRuns() throws Throwable {
        String model = createModel("crash");
        upload(model, createDraft(model), randomBytes(32));

        List<String> waiting = unsentEventIds(model);
        assertThat(waiting).as("model.created and model-version.registered, committed but unsent").hasSize(2);

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic)) {
            // nothing goes out while the sender is down
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> records.stream().noneMatch(r -> model.equals(r.key())));

            // the sender comes back
            int sent = VertxContextSupport.subscribeAndAwait(() -> relay.relay());
            assertThat(sent).isGreaterThanOrEqualTo(2);
            assertThat(unsentEventIds(model)).isEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> records.stream().filter(r -> model.equals(r.key())).count() == 2);

            // and runs again: nothing is sent twice
            VertxContextSupport.subscribeAndAwait(() -> relay.relay());
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> records.stream().filter(r -> model.equals(r.key())).count() == 2);
            List<ConsumerRecord<String, String>> delivered = records.stream().filter(r -> model.equals(r.key())).toList();
            assertThat(delivered).extracting(r -> RegistryEventsTest.header(r, "ce_id")).containsExactlyInAnyOrderElementsOf(waiting);
            assertThat(delivered).extracting(r -> RegistryEventsTest.header(r, "ce_type")).containsExactly(
                    "io.flywheel.registry.model.created.v1", "io.flywheel.registry.model-version.registered.v1");
        }
    }

    private List<String> unsentEventIds(String key) throws Exception {
        try (Connection connection = database.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "select id from registry.outbox_event where event_key = ? and sent_at is null order by created_at")) {
            query.setString(1, key);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }
}
