package io.flywheel.monitor.ingest;

import io.flywheel.events.PredictionLogged;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Predictions over the real broker: good ones are counted per version, bad ones dead-lettered with a reason. */
@QuarkusTest
class PredictionConsumerTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.predictions.topic")
    String topic;

    @ConfigProperty(name = "mp.messaging.incoming.predictions.dead-letter-queue.topic")
    String deadLetterTopic;

    @Test
    void countsGoodPredictionsAndDeadLettersTheRest() {
        String model = "tally-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(deadLetterTopic)) {
            kafka.produceStrings().fromRecords(List.of(
                    cloudEvent(model, PredictionLogged.TYPE, prediction(model, 1)),
                    cloudEvent(model, PredictionLogged.TYPE, "{this is not json"),
                    cloudEvent(model, PredictionLogged.TYPE, prediction(model, 1)),
                    cloudEvent(model, "io.flywheel.unknown.v1", prediction(model, 1)),
                    cloudEvent(model, PredictionLogged.TYPE, prediction(model, 2)))).awaitCompletion();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().when().get("/api/v1/monitoring/{model}/status", model)
                            .then().statusCode(200)
                            .body("predictions", equalTo(3))
                            .body("predictions_by_version.1", equalTo(2))
                            .body("predictions_by_version.2", equalTo(1)));

            await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersOf(deadLetters, model).size() == 2);
            assertThat(deadLettersOf(deadLetters, model))
                    .extracting(r -> new String(r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                    .anyMatch(reason -> reason.contains("payload is not a prediction"))
                    .anyMatch(reason -> reason.contains("unexpected event type io.flywheel.unknown.v1"));
        }
    }

    private static List<ConsumerRecord<String, String>> deadLettersOf(ConsumerTask<String, String> task, String model) {
        return task.stream().filter(r -> model.equals(r.key())).toList();
    }

    private ProducerRecord<String, String> cloudEvent(String model, String type, String payload) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(UUID.randomUUID().toString()));
        headers.add("ce_type", bytes(type));
        headers.add("ce_source", bytes("test"));
        headers.add("content-type", bytes("application/json"));
        return new ProducerRecord<>(topic, null, model, payload, headers);
    }

    private static String prediction(String model, int version) {
        return """
                {"request_id":"%s","model":"%s","version":%d,"environment":"production",
                 "inputs":{"x":1.5},"output":1,"latency_ms":0.4,"time":"2026-11-26T10:00:00Z"}"""
                .formatted(UUID.randomUUID(), model, version);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
