package io.flywheel.retrain.trigger;

import io.flywheel.retrain.storage.ObjectStore;
import io.flywheel.retrain.support.LabelledSegments;
import io.flywheel.retrain.support.Policies;
import io.flywheel.retrain.support.RegistryFixture;
import io.flywheel.retrain.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** A policy's cron schedule fires scheduled triggers through the Quarkus scheduler; the guardrails still apply. */
@QuarkusTest
class ScheduleTest {

    @Inject
    ObjectStore store;

    @Test
    void aCronScheduleStartsAJobAndFurtherFiresMeetTheCooldown() {
        String model = "scheduled-" + UUID.randomUUID().toString().substring(0, 8);
        RegistryFixture.createModel(model);
        LabelledSegments.write(store, model, Rows.churn(150, 41), Instant.now().minus(Duration.ofMinutes(5)));
        // every second, only the schedule may start jobs
        Policies.put(model, Policies.churn("\"schedule\": \"* * * * * ?\", \"triggers\": [\"schedule\"], \"cooldown\": \"PT1H\""));
        given().get("/api/v1/retrain/policies/" + model).then().statusCode(200).body("next_scheduled_at", notNullValue());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().queryParam("model", model).get("/api/v1/retrain/triggers").then()
                        .body("items.findAll { it.decision == 'accepted' }.kind", hasItem("schedule"))
                        // further fires meet the guardrails: the cooldown, or max_concurrent while the job still waits for a worker
                        .body("items.findAll { it.decision == 'refused' }.rule", hasItem(anyOf(is("cooldown"), is("max-concurrent")))));
        String jobId = given().queryParam("model", model).get("/api/v1/retrain/triggers").then()
                .extract().path("items.find { it.decision == 'accepted' }.job_id");
        given().queryParam("model", model).get("/api/v1/retrain/triggers").then()
                .body("items.find { it.decision == 'accepted' }.actor", equalTo("scheduler"))
                .body("items.find { it.decision == 'accepted' }.event_id", startsWith("schedule:" + model + ":"));
        // a manual trigger is not among the kinds this policy allows
        given().contentType("application/json").body("{\"model\": \"" + model + "\"}").post("/api/v1/retrain/jobs")
                .then().statusCode(409).body("rule", equalTo("trigger-not-allowed"));

        Policies.put(model, Policies.churn("\"enabled\": false"));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().get("/api/v1/retrain/jobs/" + jobId).then().body("state", equalTo("promotion-requested")));
    }
}
