package io.flywheel.deploy.events;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.events.ModelCreated;
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
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The registry's events over the real broker make models known to deploy; poison goes to the dead-letter topic. */
@QuarkusTest
class RegistryEventConsumerTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.registry-events.topic")
    String topic;

    @ConfigProperty(name = "mp.messaging.incoming.registry-events.dead-letter-queue.topic")
    String deadLetterTopic;

    @Test
    void aCreatedModelBecomesDeployableAndPoisonIsDeadLettered() {
        String model = "known-" + UUID.randomUUID().toString().substring(0, 8);
        String created = """
                {"model":"%s","description":"","tags":{},"created_at":"2026-11-26T10:00:00Z"}""".formatted(model);
        String eventId = UUID.randomUUID().toString();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> deadLetters = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deadLetterTopic)) {
            kafka.produceStrings().fromRecords(List.of(
                    plain(topic, model, created),
                    cloudEvent(topic, UUID.randomUUID().toString(), model, ModelCreated.TYPE, "[1, 2"),
                    cloudEvent(topic, eventId, model, ModelCreated.TYPE, created),
                    cloudEvent(topic, eventId, model, ModelCreated.TYPE, created),
                    cloudEvent(topic, UUID.randomUUID().toString(), model, "io.flywheel.registry.something-new.v1", "{}")))
                    .awaitCompletion();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().when().get("/api/v1/deployments/{model}", model)
                            .then().statusCode(200)
                            .body("model", equalTo(model))
                            .body("environments.name", equalTo(List.of("staging", "production", "regulated")))
                            .body("environments[0].live_versions", equalTo(List.of())));

            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.stream().filter(r -> model.equals(r.key())).count() == 2);
            assertThat(deadLetters.stream().filter(r -> model.equals(r.key())))
                    .extracting(r -> new String(r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                    .anyMatch(reason -> reason.contains("not a CloudEvent"))
                    .anyMatch(reason -> reason.contains("does not parse"));
        }
    }

    @Test
    void anUnknownModelIsAProblem() {
        given().when().get("/api/v1/deployments/{model}", "never-heard-of")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("model 'never-heard-of' is not known to deploy; register it in the registry first"));
    }
}
