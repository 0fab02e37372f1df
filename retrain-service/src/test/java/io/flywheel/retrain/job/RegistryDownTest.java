package io.flywheel.retrain.job;

import io.flywheel.retrain.storage.ObjectStore;
import io.flywheel.retrain.support.LabelledSegments;
import io.flywheel.retrain.support.Policies;
import io.flywheel.retrain.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A registry that does not answer (nothing listens where this profile points) is a transient
 * failure: each call is retried with backoff, then the job goes back to pending with a backoff,
 * and after its last attempt it fails with the reason — it never hangs.
 */
@QuarkusTest
@TestProfile(RegistryDownTest.NoRegistry.class)
class RegistryDownTest {

    public static class NoRegistry implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retrain.registry.url", "http://127.0.0.1:1");
        }
    }

    @Inject
    ObjectStore store;

    @Test
    void aJobIsTriedAgainWithBackoffThenFailedWhileTheRegistryIsDown() {
        String model = "noregistry-" + UUID.randomUUID().toString().substring(0, 8);
        LabelledSegments.write(store, model, Rows.churn(80, 51), Instant.now().minus(Duration.ofMinutes(5)));
        Policies.put(model, Policies.churn(""));

        String jobId = given().contentType("application/json").body(Map.of("model", model)).post("/api/v1/retrain/jobs")
                .then().statusCode(201).extract().path("id");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/api/v1/retrain/jobs/" + jobId).then().body("state", equalTo("failed")));
        JsonPath job = given().get("/api/v1/retrain/jobs/" + jobId).then().extract().jsonPath();
        assertThat(job.getInt("attempt")).isEqualTo(3);
        assertThat(job.getList("transitions.to", String.class)).containsExactly("pending", "preparing-data", "pending", "preparing-data",
                "pending", "preparing-data", "failed");
        assertThat(job.getString("transitions[2].reason")).startsWith("transient failure while preparing-data, trying again in PT0.5S: "
                + "the registry did not answer 'create dataset " + model + "-retrain'");
        assertThat(job.getString("transitions[4].reason")).startsWith("transient failure while preparing-data, trying again in PT1S");
        assertThat(job.getString("error")).startsWith("the registry did not answer");
        assertThat(job.getString("reason")).startsWith("failed while preparing-data after 3 attempt(s)");
    }
}
