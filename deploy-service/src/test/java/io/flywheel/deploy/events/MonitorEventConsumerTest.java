package io.flywheel.deploy.events;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.events.QualityDegraded;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.flywheel.deploy.support.CloudEventRecords.cloudEvent;
import static io.flywheel.deploy.support.CloudEventRecords.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Poison on flywheel.monitor and flywheel.retrain goes to the dead-letter topic with its reason and never stops the consumers. */
@QuarkusTest
class MonitorEventConsumerTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.monitor-events.topic")
    String monitorTopic;

    @ConfigProperty(name = "mp.messaging.incoming.retrain-events.topic")
    String retrainTopic;

    @ConfigProperty(name = "mp.messaging.incoming.monitor-events.dead-letter-queue.topic")
    String deadLetterTopic;

    @Test
    void poisonIsDeadLetteredWithItsReason() {
        String model = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> deadLetters = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deadLetterTopic)) {
            kafka.produceStrings().fromRecords(List.of(
                    plain(monitorTopic, model, "{}"),
                    cloudEvent(monitorTopic, UUID.randomUUID().toString(), model, QualityDegraded.TYPE, "{\"model\": [1"),
                    cloudEvent(monitorTopic, UUID.randomUUID().toString(), model, QualityDegraded.TYPE, "{\"model\":\"" + model + "\"}"),
                    cloudEvent(retrainTopic, UUID.randomUUID().toString(), model, "io.flywheel.retrain.promotion.requested.v1",
                            "not json"))).awaitCompletion();
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.stream().filter(r -> model.equals(r.key())).count() == 4);
            assertThat(deadLetters.stream().filter(r -> model.equals(r.key())))
                    .extracting(r -> new String(r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                    .anyMatch(reason -> reason.contains("not a CloudEvent"))
                    .anyMatch(reason -> reason.contains("payload of io.flywheel.monitor.quality.degraded.v1 does not parse"))
                    .anyMatch(reason -> reason.contains("model or version is missing"))
                    .anyMatch(reason -> reason.contains("payload of io.flywheel.retrain.promotion.requested.v1 does not parse"));
        }
    }
}
