package io.flywheel.gateway.ingest;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.events.PredictionLogged;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** HTTP ingest onto the real broker: 202 only after Kafka acknowledged, all-or-nothing batches, idempotent retries. */
@QuarkusTest
class IngestTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.outgoing.predictions-out.topic")
    String topic;

    @ConfigProperty(name = "mp.messaging.outgoing.feedback-out.topic")
    String feedbackTopic;

    @ConfigProperty(name = "gateway.ingest.max-records")
    int maxRecords;

    private static String prediction(String model, String requestId) {
        return """
                {"request_id":"%s","model":"%s","version":1,"environment":"production","inputs":{"x":0.5},"output":1}"""
                .formatted(requestId, model);
    }

    @Test
    void aBatchIsPublishedAsCloudEventsKeyedByModel() {
        String model = "ingest-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic)) {
            asAdmin().contentType(ContentType.JSON)
                    .body("[" + prediction(model, "a") + "," + prediction(model, "b") + "]")
                    .when().post("/api/v1/predictions")
                    .then().statusCode(202)
                    .body("accepted", equalTo(2));

            await().atMost(Duration.ofSeconds(30)).until(() -> ofModel(records, model).size() == 2);
            ConsumerRecord<String, String> first = ofModel(records, model).getFirst();
            assertThat(header(first, "ce_type")).isEqualTo(PredictionLogged.TYPE);
            assertThat(header(first, "ce_source")).isEqualTo("flywheel/gateway");
            assertThat(first.value()).contains("\"request_id\":\"a\"").contains("\"time\":");
        }
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyPublishesNothingMore() {
        String model = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic)) {
            asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key).body("[" + prediction(model, "r1") + "]")
                    .when().post("/api/v1/predictions")
                    .then().statusCode(202).body("replayed", equalTo(false));
            asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key).body("[" + prediction(model, "r1") + "]")
                    .when().post("/api/v1/predictions")
                    .then().statusCode(200).body("accepted", equalTo(1)).body("replayed", equalTo(true));

            await().atMost(Duration.ofSeconds(30)).until(() -> ofModel(records, model).size() == 1);
            // and it stays one: the replay published nothing
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> ofModel(records, model).size() == 1);
        }
    }

    @Test
    void aBatchWithBadRecordsIsRefusedWholeWithEveryReason() {
        asAdmin().contentType(ContentType.JSON)
                .body("[" + prediction("fine", "ok") + ",{\"model\":\"fine\",\"version\":1,\"inputs\":{}},"
                        + "{\"request_id\":\"x\",\"model\":\"fine\",\"version\":0,\"inputs\":{}}]")
                .when().post("/api/v1/predictions")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("2 of 3 records are invalid; nothing was published"))
                .body("errors", hasSize(2))
                .body("errors[0].index", equalTo(1))
                .body("errors[0].error", equalTo("request_id is required (1 to 128 characters)"))
                .body("errors[1].index", equalTo(2))
                .body("errors[1].error", equalTo("version must be 1 or more, was 0"));
    }

    @Test
    void jsonLinesAreAcceptedAndABadLineIsNamed() {
        String model = "lines-" + UUID.randomUUID().toString().substring(0, 8);
        lines()
                .body(prediction(model, "l1") + "\n\n" + prediction(model, "l2") + "\n")
                .when().post("/api/v1/predictions")
                .then().statusCode(202).body("accepted", equalTo(2));
        lines()
                .body(prediction(model, "l3") + "\n{\"request_id\":\"l4\",\"model\":\"" + model + "\",\"version\":1}\n")
                .when().post("/api/v1/predictions")
                .then().statusCode(400)
                .body("errors[0].line", equalTo(2))
                .body("errors[0].error", equalTo("inputs are required (an object of feature name to value)"));
        lines().body(prediction(model, "l5") + "\n{oops\n")
                .when().post("/api/v1/predictions")
                .then().statusCode(400)
                .body("detail", containsString("line 2 is not valid JSON"));
    }

    @Test
    void feedbackGoesToItsOwnTopicAndKeysAreIdempotentPerKind() {
        String model = "labels-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(feedbackTopic)) {
            asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key)
                    .body("[{\"request_id\":\"r1\",\"model\":\"" + model + "\",\"label\":1}]")
                    .when().post("/api/v1/feedback")
                    .then().statusCode(202).body("accepted", equalTo(1));
            // the same key on the other kind is another request, not a replay
            asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key).body("[" + prediction(model, "r1") + "]")
                    .when().post("/api/v1/predictions")
                    .then().statusCode(202).body("replayed", equalTo(false));
            await().atMost(Duration.ofSeconds(30)).until(() -> ofModel(records, model).size() == 1);
            ConsumerRecord<String, String> label = ofModel(records, model).getFirst();
            assertThat(header(label, "ce_type")).isEqualTo("io.flywheel.feedback.label.received.v1");
            assertThat(label.value()).contains("\"label\":1");
        }
        asAdmin().contentType(ContentType.JSON).body("[{\"request_id\":\"r1\",\"model\":\"" + model + "\"}]")
                .when().post("/api/v1/feedback")
                .then().statusCode(400)
                .body("errors[0].error", equalTo("label is required"));
    }

    @Test
    void malformedJsonSaysWhere() {
        asAdmin().contentType(ContentType.JSON).body("[{\"request_id\": }]")
                .when().post("/api/v1/predictions")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("line 1, column"));
    }

    @Test
    void anOversizedBatchIs413() {
        String batch = IntStream.rangeClosed(0, maxRecords).mapToObj(i -> prediction("big", "r" + i))
                .collect(Collectors.joining(",", "[", "]"));
        asAdmin().contentType(ContentType.JSON).body(batch)
                .when().post("/api/v1/predictions")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("at most " + maxRecords + " records"));
        String lines = IntStream.rangeClosed(0, maxRecords).mapToObj(i -> prediction("big", "r" + i))
                .collect(Collectors.joining("\n"));
        lines().body(lines)
                .when().post("/api/v1/predictions")
                .then().statusCode(413);
    }

    /** A JSON Lines request; RestAssured sends the body as text. */
    private static io.restassured.specification.RequestSpecification lines() {
        return asAdmin().config(io.restassured.RestAssured.config().encoderConfig(
                        io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/x-ndjson", ContentType.TEXT)))
                .contentType("application/x-ndjson");
    }

    private static List<ConsumerRecord<String, String>> ofModel(ConsumerTask<String, String> records, String model) {
        return records.stream().filter(r -> model.equals(r.key())).toList();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
