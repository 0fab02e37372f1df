package io.flywheel.retrain.rest;

import io.flywheel.retrain.support.Policies;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@TestHTTPEndpoint(JobResource.class)
class JobResourceTest {

    @Test
    void jobsThatFindNoDataFailWithTheReasonAndListsPageByModelAndState() {
        String model = "nodata-" + UUID.randomUUID().toString().substring(0, 8);
        Policies.put(model, Policies.churn("\"cooldown\": \"PT0S\", \"max_concurrent\": 2"));
        String first = given().contentType("application/json").body(Map.of("model", model)).post().then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(first).then().body("state", equalTo("failed")));
        String second = given().contentType("application/json").body(Map.of("model", model)).post().then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(second).then().body("state", equalTo("failed")));

        given().get(first).then().statusCode(200)
                .body("error", startsWith("no training rows: no labelled rows of model '" + model + "' were labelled between"))
                .body("finished_at", notNullValue())
                .body("log.message", org.hamcrest.Matchers.hasItem(startsWith("labelled data: 0 segment(s)")));

        String next = given().queryParam("model", model).queryParam("state", "failed").queryParam("limit", 1).get()
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(second))
                .body("items[0].log", nullValue())
                .body("next_cursor", notNullValue())
                .extract().path("next_cursor");
        given().queryParam("model", model).queryParam("state", "failed").queryParam("limit", 1).queryParam("cursor", next).get()
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(first))
                .body("next_cursor", nullValue());
        given().queryParam("model", model).queryParam("state", "promotion-requested").get().then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void unknownJobsAndBadFiltersAreProblems() {
        given().get(UUID.randomUUID().toString()).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:flywheel:problem:not-found"));
        given().get("not-a-job").then().statusCode(404);
        given().post(UUID.randomUUID() + "/cancel").then().statusCode(404);
        given().queryParam("state", "done").get().then().statusCode(400)
                .body("type", equalTo("urn:flywheel:problem:invalid-request"))
                .body("detail", startsWith("state must be one of pending, preparing-data"));
        given().queryParam("cursor", "%%%").get().then().statusCode(400);
        given().queryParam("limit", 0).get().then().statusCode(400)
                .body("violations[0].message", equalTo("limit must be between 1 and 500"));
    }

    @Test
    void aManualTriggerNeedsAModelName() {
        given().contentType("application/json").body("{\"model\": \"no spaces allowed\"}").post().then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].message", startsWith("model must match"));
        given().contentType("application/json").body("{\"model\": ").post().then().statusCode(400)
                .body("type", equalTo("urn:flywheel:problem:malformed-json"));
        given().contentType("application/json").body(Map.of("reason", "no model")).post().then().statusCode(400)
                .body("violations[0].message", not(startsWith("model must match")));
    }
}
