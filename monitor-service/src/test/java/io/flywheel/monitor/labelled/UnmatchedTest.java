package io.flywheel.monitor.labelled;

import io.flywheel.events.FeedbackReceived;
import io.flywheel.events.PredictionLogged;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.flywheel.monitor.support.Events.cloudEvent;
import static io.flywheel.monitor.support.Events.label;
import static io.flywheel.monitor.support.Events.prediction;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** A prediction that never gets its label and a label whose prediction never comes are counted and dropped after the wait. */
@QuarkusTest
class UnmatchedTest {

    @Inject
    LabelledExporter exporter;

    @Inject
    Pool db;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.predictions.topic")
    String predictions;

    @ConfigProperty(name = "mp.messaging.incoming.feedback.topic")
    String feedback;

    @Test
    void waitingTooLongIsCountedAndDropped() {
        String model = "unmatched-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body("{}").when().put("/api/v1/monitoring/{m}/policy", model).then().statusCode(200);
        String lonelyPrediction = model + "-p";
        String lonelyLabel = model + "-l";
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(List.of(
                    cloudEvent(predictions, model, PredictionLogged.TYPE, prediction(lonelyPrediction, model, 1,
                            "2026-11-26T10:00:00Z", "{\"x\": 1}", "0.3")),
                    cloudEvent(feedback, model, FeedbackReceived.TYPE, label(lonelyLabel, model, "1")))).awaitCompletion();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(model) == 2);

        exporter.dropUnmatched().await().atMost(Duration.ofSeconds(10));
        assertThat(rows(model)).as("both still within monitor.join-wait").isEqualTo(2);

        db.preparedQuery("UPDATE labelled_join SET created_at = now() - interval '3 days' WHERE model = $1")
                .execute(Tuple.of(model)).await().atMost(Duration.ofSeconds(10));
        exporter.dropUnmatched().await().atMost(Duration.ofSeconds(10));
        assertThat(rows(model)).isZero();
        given().when().get("/api/v1/monitoring/{m}/status", model)
                .then().statusCode(200)
                .body("unmatched.prediction", equalTo(1))
                .body("unmatched.label", equalTo(1));
    }

    private long rows(String model) {
        return db.preparedQuery("SELECT count(*) AS n FROM labelled_join WHERE model = $1").execute(Tuple.of(model))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }
}
