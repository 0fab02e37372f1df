package io.flywheel.retrain.events;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.events.DriftDetected;
import io.flywheel.events.Recovered;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.flywheel.retrain.support.CloudEventRecords.cloudEvent;
import static io.flywheel.retrain.support.CloudEventRecords.plain;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/** Monitor verdicts over the real broker become triggers; a redelivery is a recorded duplicate; poison is dead-lettered. */
@QuarkusTest
class MonitorEventConsumerTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.monitor-events.topic")
    String topic;

    @ConfigProperty(name = "mp.messaging.incoming.monitor-events.dead-letter-queue.topic")
    String deadLetterTopic;

    @Test
    void aDriftVerdictIsRecordedWithItsDecisionAndItsRedeliveryAsADuplicate() {
        String model = "drifty-" + UUID.randomUUID().toString().substring(0, 8);
        String drift = """
                {"model":"%s","version":3,"drifted_features":["age"],"share_drifted":0.5,
                 "window_start":"2026-11-26T09:00:00Z","window_end":"2026-11-26T10:00:00Z",
                 "samples":1200,"detected_at":"2026-11-26T10:00:01Z"}""".formatted(model);
        String eventId = UUID.randomUUID().toString();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> deadLetters = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deadLetterTopic)) {
            kafka.produceStrings().fromRecords(List.of(
                    cloudEvent(topic, eventId, model, DriftDetected.TYPE, drift),
                    cloudEvent(topic, UUID.randomUUID().toString(), model, DriftDetected.TYPE, "{\"model\": 42, \"version\": \"x\"}"),
                    plain(topic, model, drift),
                    cloudEvent(topic, UUID.randomUUID().toString(), model, Recovered.TYPE,
                            "{\"model\":\"" + model + "\",\"version\":3,\"kind\":\"drift\",\"recovered_at\":\"2026-11-26T11:00:00Z\"}"),
                    cloudEvent(topic, eventId, model, DriftDetected.TYPE, drift))).awaitCompletion();

            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.stream().filter(r -> model.equals(r.key())).count() == 2);
            assertThat(deadLetters.stream().filter(r -> model.equals(r.key()))
                    .map(r -> new String(r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)))
                    .anyMatch(reason -> reason.contains("does not parse"))
                    .anyMatch(reason -> reason.contains("not a CloudEvent"));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().queryParam("model", model).when().get("/api/v1/retrain/triggers")
                            .then().statusCode(200)
                            .body("items", hasSize(2))
                            .body("items[1].event_id", equalTo(eventId))
                            .body("items[1].kind", equalTo("drift"))
                            .body("items[1].version", equalTo(3))
                            .body("items[1].actor", equalTo("monitor"))
                            .body("items[1].decision", equalTo("refused"))
                            .body("items[1].rule", equalTo("no-policy"))
                            .body("items[1].reason", equalTo("no retrain policy for model '" + model + "'"))
                            .body("items[0].event_id", equalTo(eventId))
                            .body("items[0].rule", equalTo("duplicate"))
                            .body("items[0].reason", startsWith("duplicate: event " + eventId + " was already received as trigger")));
            Integer first = given().queryParam("model", model).get("/api/v1/retrain/triggers").then().extract().path("items[1].seq");
            given().queryParam("model", model).get("/api/v1/retrain/triggers").then().body("items[0].duplicate_of", equalTo(first));
        }
    }

    @Test
    void aBadLimitIsAProblem() {
        given().queryParam("limit", 1000).when().get("/api/v1/retrain/triggers")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].message", equalTo("limit must be between 1 and 500"));
    }
}
