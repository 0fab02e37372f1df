package io.flywheel.monitor.ingest;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.events.PredictionLogged;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.flywheel.monitor.support.Events.cloudEvent;
import static io.flywheel.monitor.support.Events.header;
import static io.flywheel.monitor.support.Events.prediction;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A mix over the real broker: good predictions are all counted per version, and not-JSON, wrong
 * event type, unknown model and a feature of the wrong type go to the dead-letter topic with the reason.
 */
@QuarkusTest
class PredictionConsumerTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.predictions.topic")
    String topic;

    @ConfigProperty(name = "mp.messaging.outgoing.dead-letters.topic")
    String deadLetterTopic;

    @Test
    void countsEveryGoodPredictionAndDeadLettersTheRestWithTheReason() {
        String model = "tally-" + UUID.randomUUID().toString().substring(0, 8);
        String stranger = "stranger-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("text/csv").body("age,plan\n31,pro\n45,basic\n52,pro\n")
                .when().post("/api/v1/monitoring/{model}/versions/1/reference", model)
                .then().statusCode(201);

        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(good(model, i % 3 == 0 ? 2 : 1, "{\"age\":" + (30 + i) + ",\"plan\":\"pro\"}"));
            if (i % 10 == 0) {
                records.add(cloudEvent(topic, model, PredictionLogged.TYPE, "{this is not json"));
                records.add(cloudEvent(topic, model, "io.flywheel.unknown.v1", prediction(UUID.randomUUID().toString(), model, 1,
                        "2026-11-26T10:00:00Z", "{}", "1")));
                records.add(good(model, 1, "{\"age\":\"old\",\"plan\":\"pro\"}"));
                records.add(cloudEvent(topic, stranger, PredictionLogged.TYPE, prediction(UUID.randomUUID().toString(), stranger, 1,
                        "2026-11-26T10:00:00Z", "{\"age\":1}", "1")));
            }
        }
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> deadLetters = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deadLetterTopic)) {
            kafka.produceStrings().fromRecords(records).awaitCompletion();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().when().get("/api/v1/monitoring/{model}/status", model)
                            .then().statusCode(200)
                            .body("predictions", equalTo(30))
                            .body("predictions_by_version.1", equalTo(20))
                            .body("predictions_by_version.2", equalTo(10)));

            await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersOf(deadLetters, model, stranger).size() == 12);
            List<String> reasons = deadLettersOf(deadLetters, model, stranger).stream()
                    .map(r -> header(r, "dead-letter-reason")).toList();
            assertThat(reasons).filteredOn(r -> r.contains("payload is not a prediction")).hasSize(3);
            assertThat(reasons).filteredOn(r -> r.contains("unexpected event type io.flywheel.unknown.v1")).hasSize(3);
            assertThat(reasons).filteredOn(r -> r.contains("feature 'age' is numeric, but got a string")).hasSize(3);
            assertThat(reasons).filteredOn(r -> r.contains("unknown model '" + stranger + "'")).hasSize(3);
        }
    }

    private ProducerRecord<String, String> good(String model, int version, String inputs) {
        return cloudEvent(topic, model, PredictionLogged.TYPE,
                prediction(UUID.randomUUID().toString(), model, version, "2026-11-26T10:00:00Z", inputs, "0.7"));
    }

    private static List<ConsumerRecord<String, String>> deadLettersOf(ConsumerTask<String, String> task, String... keys) {
        List<String> k = List.of(keys);
        return task.stream().filter(r -> k.contains(r.key())).toList();
    }
}
