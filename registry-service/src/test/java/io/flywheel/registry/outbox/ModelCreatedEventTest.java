package io.flywheel.registry.outbox;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Creating a model puts a binary-mode CloudEvent on the registry topic of the real broker. */
@QuarkusTest
class ModelCreatedEventTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String topic;

    @Test
    void modelCreatedIsPublishedAsACloudEventKeyedByModel() {
        String name = "events-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"tags\":{\"k\":\"v\"}}")
                .when().post("/api/v1/models").then().statusCode(201);

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> records.stream().anyMatch(r -> name.equals(r.key())));
            ConsumerRecord<String, String> record = records.stream().filter(r -> name.equals(r.key())).findFirst().orElseThrow();

            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(record, "ce_type")).isEqualTo("io.flywheel.registry.model.created.v1");
            assertThat(header(record, "ce_source")).isEqualTo("flywheel/registry-service");
            assertThat(header(record, "ce_id")).isNotBlank();
            assertThat(record.value()).contains("\"model\":\"" + name + "\"").contains("\"tags\":{\"k\":\"v\"}");
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
