package io.flywheel.monitor.evaluation;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.events.DriftDetected;
import io.flywheel.events.FeedbackReceived;
import io.flywheel.events.PredictionLogged;
import io.flywheel.events.QualityDegraded;
import io.flywheel.events.Recovered;
import io.flywheel.monitor.storage.ObjectStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static io.flywheel.monitor.support.Events.cloudEvent;
import static io.flywheel.monitor.support.Events.header;
import static io.flywheel.monitor.support.Events.label;
import static io.flywheel.monitor.support.Events.prediction;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The whole monitoring loop over real Kafka, PostgreSQL and S3: a reference posted as CSV, a
 * policy, drifted predictions → drift in the stored time series (KS with its bracket) and one
 * drift.detected; wrong labels → quality metrics and one quality.degraded; the labelled rows in S3;
 * later drift-free traffic → recovered.
 */
@QuarkusTest
class MonitoringFlowTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.predictions.topic")
    String predictions;

    @ConfigProperty(name = "mp.messaging.incoming.feedback.topic")
    String feedback;

    @ConfigProperty(name = "mp.messaging.outgoing.monitor-events.topic")
    String monitorTopic;

    @Inject
    ObjectStore store;

    @Test
    void driftQualityLabelledDataAndRecovery() {
        String model = "flow-" + UUID.randomUUID().toString().substring(0, 8);
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder csv = new StringBuilder("request_id,x,plan,y\n");
        for (int i = 0; i < 2000; i++) {
            csv.append("r").append(i).append(',').append(rnd.nextGaussian()).append(',')
                    .append(new String[]{"a", "b", "c"}[i % 3]).append(',').append(i % 2).append('\n');
        }
        given().contentType("text/csv").queryParam("prediction_column", "y").queryParam("bins", 50).body(csv.toString())
                .when().post("/api/v1/monitoring/{model}/versions/1/reference", model)
                .then().statusCode(201)
                .body("features.name", equalTo(List.of("x", "plan")))
                .body("prediction.name", equalTo("y"))
                .body("rows", equalTo(2000));
        given().contentType("application/json").body("""
                        {"pane_seconds": 60, "panes": 10, "min_samples": 100, "dataset_drift_share": 0.6,
                         "features": {"x": {"tests": ["ks", "psi"], "thresholds": {"psi": 0.5}}},
                         "quality": {"accuracy": {"min": 0.9}}, "min_labelled": 50}""")
                .when().put("/api/v1/monitoring/{model}/policy", model)
                .then().statusCode(200).body("pane_seconds", equalTo(60));

        Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<String, String>> drifted = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String id = model + "-" + i;
            ids.add(id);
            drifted.add(cloudEvent(predictions, model, PredictionLogged.TYPE, prediction(id, model, 1,
                    t0.plusMillis(i * 100L).toString(), "{\"x\":" + (2 + rnd.nextGaussian()) + ",\"plan\":\"c\"}", "0.9")));
        }
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> verdicts = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(monitorTopic)) {
            kafka.produceStrings().fromRecords(drifted).awaitCompletion();

            await().ignoreExceptions().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                JsonPath series = given().queryParam("from", "2026-11-26T09:00:00Z").queryParam("to", "2026-11-26T12:00:00Z")
                        .when().get("/api/v1/monitoring/{model}/versions/1/drift", model)
                        .then().statusCode(200).extract().jsonPath();
                assertThat(series.getInt("windows[-1].samples")).isEqualTo(400);
                assertThat(series.getBoolean("windows[-1].dataset_drift")).isTrue();
                assertThat(series.getList("windows[-1].features.x.decided_by")).containsExactly("ks", "psi");
                double lower = series.getDouble("windows[-1].features.x.tests.ks.statistic_lower");
                double upper = series.getDouble("windows[-1].features.x.tests.ks.statistic_upper");
                assertThat(lower).isGreaterThan(0.5).isLessThanOrEqualTo(upper);
                assertThat(series.getDouble("windows[-1].features.x.tests.ks.pvalue")).isLessThan(1e-6);
                assertThat(series.getBoolean("windows[-1].features.plan.drift")).isTrue();
                assertThat(series.getString("windows[-1].features.plan.decided_by[0]")).isEqualTo("js");
                assertThat(series.getDouble("windows[-1].prediction.samples")).isEqualTo(400);
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> ofType(verdicts, model, DriftDetected.TYPE).size() == 1);
            String event = ofType(verdicts, model, DriftDetected.TYPE).get(0).value();
            JsonPath drift = JsonPath.from(event);
            assertThat(drift.getList("drifted_features")).containsExactlyInAnyOrder("x", "plan");
            assertThat(drift.getDouble("share_drifted")).isEqualTo(1.0);
            assertThat(drift.getLong("samples")).isBetween(100L, 400L); // raised as soon as min_samples were in
            assertThat(drift.getString("window_start")).isEqualTo("2026-11-26T09:51:00Z");
            assertThat(drift.getDouble("evidence.features.x.tests.ks.statistic_lower")).isPositive();

            // wrong labels: the model said 0.9, the truth is 0
            List<ProducerRecord<String, String>> labels = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                labels.add(cloudEvent(feedback, model, FeedbackReceived.TYPE, label(ids.get(i), model, "0")));
            }
            kafka.produceStrings().fromRecords(labels).awaitCompletion();
            await().atMost(Duration.ofSeconds(30)).until(() -> ofType(verdicts, model, QualityDegraded.TYPE).stream()
                    .anyMatch(r -> r.value().contains("\"kind\":\"quality\"")));
            JsonPath degraded = JsonPath.from(ofType(verdicts, model, QualityDegraded.TYPE).stream()
                    .filter(r -> r.value().contains("\"kind\":\"quality\"")).findFirst().orElseThrow().value());
            assertThat(degraded.getString("metric")).isEqualTo("accuracy");
            assertThat(degraded.getDouble("value")).isEqualTo(0.0);
            assertThat(degraded.getDouble("threshold")).isEqualTo(0.9);
            assertThat(degraded.getLong("samples")).isBetween(50L, 100L); // raised once min_labelled were in

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/api/v1/monitoring/{model}/status", model)
                    .then().statusCode(200)
                    .body("predictions", equalTo(400))
                    .body("versions[0].active_alerts", hasItem("drift/dataset"))
                    .body("versions[0].latest.quality.accuracy", equalTo(0.0f))
                    .body("versions[0].latest.labelled", equalTo(100)));

            // gauges per model version and feature, in the Prometheus endpoint
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("flywheel_monitor_drift_share{model=\"" + model + "\",version=\"1\"}")
                    .contains("flywheel_monitor_drift_score{feature=\"x\",model=\"" + model + "\",test=\"ks\",version=\"1\"}")
                    .contains("flywheel_monitor_quality{metric=\"accuracy\",model=\"" + model + "\",version=\"1\"} 0.0");

            // the labelled rows, for retraining
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<String> keys = store.list("labelled/" + model + "/2026-11-26/").await().atMost(Duration.ofSeconds(10));
                long lines = 0;
                for (String key : keys) {
                    String body = new String(store.get(key).await().atMost(Duration.ofSeconds(10)), StandardCharsets.UTF_8);
                    lines += body.lines().count();
                    assertThat(body).contains("\"features\":{").contains("\"prediction\":0.9").contains("\"label\":0");
                }
                assertThat(lines).isEqualTo(100);
            });

            // an hour later the window holds only drift-free data: recovered, once
            List<ProducerRecord<String, String>> calm = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calm.add(cloudEvent(predictions, model, PredictionLogged.TYPE, prediction(model + "-calm-" + i, model, 1,
                        t0.plusSeconds(3600).plusMillis(i * 50L).toString(),
                        "{\"x\":" + rnd.nextGaussian() + ",\"plan\":\"" + new String[]{"a", "b", "c"}[i % 3] + "\"}", "0.5")));
            }
            kafka.produceStrings().fromRecords(calm).awaitCompletion();
            await().atMost(Duration.ofSeconds(30)).until(() -> ofType(verdicts, model, Recovered.TYPE).stream()
                    .anyMatch(r -> r.value().contains("\"kind\":\"drift\"")));
            assertThat(ofType(verdicts, model, DriftDetected.TYPE)).hasSize(1);
        }
    }

    private static List<ConsumerRecord<String, String>> ofType(ConsumerTask<String, String> task, String model, String type) {
        return task.stream().filter(r -> model.equals(r.key()) && type.equals(header(r, "ce_type"))).toList();
    }
}
