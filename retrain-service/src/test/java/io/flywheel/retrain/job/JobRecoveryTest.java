package io.flywheel.retrain.job;

import io.flywheel.internalauth.InternalTokenForTests;
import io.flywheel.internalauth.TestCallers;
import io.flywheel.retrain.storage.ObjectStore;
import io.flywheel.retrain.support.LabelledSegments;
import io.flywheel.retrain.support.Policies;
import io.flywheel.retrain.support.RegistryFixture;
import io.flywheel.retrain.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/**
 * Jobs end in a clean state whatever happens to their worker: a job whose worker died (its lease
 * expired: what a killed or restarted service leaves behind) is picked up again, or failed once its
 * attempts are used, within lease + reap interval; cancel works while it trains and while it waits.
 * The "sleepy" trainer (a local process that never finishes, %test config) holds a job in training.
 */
@QuarkusTest
class JobRecoveryTest {

    private static final String SLEEPY = """
            {"cooldown": "PT0S", "max_concurrent": 5, "daily_budget": 20, "data": {"window": "P1D"},
             "trainer": {"name": "sleepy", "runner": "local-process", "params": {"task": "binary-classification", "target": "churned"}}}""";

    @Inject
    ObjectStore store;

    @Inject
    Pool db;

    private String sleepyModel(String prefix) {
        String model = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        RegistryFixture.createModel(model);
        LabelledSegments.write(store, model, Rows.churn(120, 31), Instant.now().minus(Duration.ofMinutes(5)));
        Policies.put(model, SLEEPY);
        return model;
    }

    private static String start(String model) {
        return given().contentType("application/json").body(Map.of("model", model)).post("/api/v1/retrain/jobs")
                .then().statusCode(201).extract().path("id");
    }

    private static void awaitState(String jobId, String state, Duration within) {
        await().atMost(within).untilAsserted(() ->
                given().get("/api/v1/retrain/jobs/" + jobId).then().statusCode(200).body("state", equalTo(state)));
    }

    /** The trainer processes started for a job (their arguments name its work directory). */
    private static List<ProcessHandle> trainers(String jobId) {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(args -> List.of(args).stream().anyMatch(a -> a.contains(jobId))).orElse(false)).toList();
    }

    @Test
    void aJobWhoseWorkerDiedIsPickedUpAgainAndRunsToTheEnd() {
        String model = sleepyModel("revived");
        String jobId = start(model);
        awaitState(jobId, "training", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(10)).until(() -> !trainers(jobId).isEmpty());

        // the worker "dies": its lease runs out with nobody renewing it. The retry runs the reference trainer.
        String linear = given().get("/api/v1/retrain/policies/" + model).then().extract().asString()
                .replace("\"name\":\"sleepy\"", "\"name\":\"flywheel-linear\"").replace("\"runner\":\"local-process\"", "\"runner\":\"in-process\"");
        db.preparedQuery("update retrain.retrain_job set lease_owner = 'worker-that-died', lease_expires_at = now() - interval '1 second', "
                        + "policy = $2 where id = $1")
                .execute(Tuple.of(UUID.fromString(jobId), linear)).await().atMost(Duration.ofSeconds(10));

        awaitState(jobId, "promotion-requested", Duration.ofSeconds(60));
        JsonPath job = given().get("/api/v1/retrain/jobs/" + jobId).then().extract().jsonPath();
        assertThat(job.getInt("attempt")).isEqualTo(2);
        assertThat(job.getList("transitions.to", String.class)).containsExactly("pending", "preparing-data", "training", "pending",
                "preparing-data", "training", "evaluating", "registering", "promotion-requested");
        assertThat(job.getString("transitions[3].reason")).isEqualTo("worker worker-that-died stopped renewing its lease while the job "
                + "was training; trying again (attempt 2 of 3)");
        assertThat(job.getString("lease")).isNull();
        // the first attempt's trainer, still running in this (living) instance, was stopped when it lost the job
        await().atMost(Duration.ofSeconds(20)).until(() -> trainers(jobId).isEmpty());
    }

    @Test
    void aJobWhoseWorkerDiedOnItsLastAttemptFailsCleanly() {
        String model = sleepyModel("dead");
        String jobId = start(model);
        awaitState(jobId, "training", Duration.ofSeconds(60));

        db.preparedQuery("update retrain.retrain_job set lease_owner = 'worker-that-died', lease_expires_at = now() - interval '1 second', "
                + "attempt = 3 where id = $1").execute(Tuple.of(UUID.fromString(jobId))).await().atMost(Duration.ofSeconds(10));

        awaitState(jobId, "failed", Duration.ofSeconds(30));
        given().get("/api/v1/retrain/jobs/" + jobId).then()
                .body("error", equalTo("worker worker-that-died stopped renewing its lease while the job was training, and all 3 attempts are used"))
                .body("finished_at", org.hamcrest.Matchers.notNullValue())
                .body("lease", org.hamcrest.Matchers.nullValue());
        await().atMost(Duration.ofSeconds(20)).until(() -> trainers(jobId).isEmpty());
    }

    @Test
    void cancelStopsATrainingJobAndAJobStillWaitingForAWorker() {
        String model = sleepyModel("cancel");
        // three jobs fill this instance's three worker slots (%test retrain.worker.max-running)...
        List<String> training = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            training.add(start(model));
        }
        training.forEach(id -> awaitState(id, "training", Duration.ofSeconds(60)));
        // ...so a fourth waits in pending
        String waiting = start(model);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                given().get("/api/v1/retrain/jobs/" + waiting).then().body("state", equalTo("pending")));

        given().header("Authorization", TestCallers.bearer("bob")).post("/api/v1/retrain/jobs/" + waiting + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"))
                .body("cancel.requested_by", equalTo("bob"))
                .body("reason", equalTo("cancelled by bob before it started"));

        for (String id : training) {
            // 202 while it runs; 200 when the worker, told at once, stopped it before the answer was read
            given().post("/api/v1/retrain/jobs/" + id + "/cancel").then().statusCode(anyOf(is(202), is(200)))
                    .body("cancel.requested_by", equalTo(InternalTokenForTests.PRINCIPAL));
        }
        for (String id : training) {
            awaitState(id, "cancelled", Duration.ofSeconds(30));
            JsonPath job = given().get("/api/v1/retrain/jobs/" + id).then().extract().jsonPath();
            assertThat(job.getList("transitions.to", String.class)).endsWith("training", "cancelled");
            assertThat(job.getString("reason")).isEqualTo("cancelled by " + InternalTokenForTests.PRINCIPAL + " while training");
            await().atMost(Duration.ofSeconds(20)).until(() -> trainers(id).isEmpty());
        }
        given().post("/api/v1/retrain/jobs/" + waiting + "/cancel").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:job-finished"))
                .body("detail", equalTo("retrain job " + waiting + " has already ended: it is cancelled"));
    }
}
