package io.flywheel.monitor.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Policies, references and the time series: what they accept and the problems they answer with. */
@QuarkusTest
class MonitoringResourceTest {

    private static String model() {
        return "res-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aPolicyIsStoredAndBadOnesAreRefusedWithTheField() {
        String model = model();
        given().when().get("/api/v1/monitoring/{m}/policy", model).then().statusCode(200).body("tests", equalTo(null));
        given().contentType(ContentType.JSON).body("""
                        {"tests": ["ks"], "thresholds": {"ks": 0.01}, "min_samples": 500, "pane_seconds": 60, "panes": 60,
                         "features": {"plan": {"tests": ["chi2", "unseen_share"]}}, "quality": {"rmse": {"max": 3.5}}}""")
                .when().put("/api/v1/monitoring/{m}/policy", model)
                .then().statusCode(200);
        given().when().get("/api/v1/monitoring/{m}/policy", model)
                .then().statusCode(200)
                .body("thresholds.ks", org.hamcrest.Matchers.hasToString("0.01"))
                .body("features.plan.tests", equalTo(java.util.List.of("chi2", "unseen_share")))
                .body("quality.rmse.max", org.hamcrest.Matchers.hasToString("3.5"));
        given().contentType(ContentType.JSON).body("{\"tests\": [\"magic\"], \"thresholds\": {\"ks\": 2}, \"quality\": {\"speed\": {\"min\": 1}}}")
                .when().put("/api/v1/monitoring/{m}/policy", model)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("tests: unknown drift test 'magic'"))
                .body("detail", containsString("significance level"))
                .body("detail", containsString("quality: unknown metric 'speed'"));
    }

    @Test
    void aReferenceIsFittedFromJsonLinesAndDescribed() {
        String model = model();
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            jsonl.append("{\"age\": ").append(20 + i % 50).append(", \"plan\": \"").append(i % 2 == 0 ? "pro" : "basic")
                    .append("\", \"churn\": ").append(i % 2).append("}\n");
        }
        given().contentType("application/x-ndjson").queryParam("prediction_column", "churn").queryParam("bins", 10)
                .body(jsonl.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/api/v1/monitoring/{m}/versions/3/reference", model)
                .then().statusCode(201)
                .body("rows", equalTo(300))
                .body("bins", equalTo(10))
                .body("features", hasSize(2))
                .body("features[0].kind", equalTo("numeric"))
                .body("features[0].bins", equalTo(10))
                .body("features[1].categories", equalTo(java.util.List.of("basic", "pro")))
                .body("prediction.name", equalTo("churn"));
        given().when().get("/api/v1/monitoring/{m}/versions/3/reference", model)
                .then().statusCode(200).body("source", equalTo("upload"));
        given().when().get("/api/v1/monitoring/{m}/status", model)
                .then().statusCode(200).body("versions[0].version", equalTo(3)).body("versions[0].reference.rows", equalTo(300));
    }

    @Test
    void badReferencesAndQueriesAreProblems() {
        String model = model();
        given().contentType("text/csv").body("age,plan\n1,2,3\n")
                .when().post("/api/v1/monitoring/{m}/versions/1/reference", model)
                .then().statusCode(400).body("detail", containsString("CSV line 2 has 3 cells, the header 2"));
        given().contentType("text/csv").queryParam("prediction_column", "nope").body("age\n1\n2\n")
                .when().post("/api/v1/monitoring/{m}/versions/1/reference", model)
                .then().statusCode(400).body("detail", containsString("prediction column 'nope' is not in the sample"));
        given().when().get("/api/v1/monitoring/{m}/versions/9/reference", model)
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:not-found"));
        given().queryParam("from", "yesterday").when().get("/api/v1/monitoring/{m}/versions/1/drift", model)
                .then().statusCode(400).body("detail", containsString("'from' is not an ISO-8601 instant"));
        given().when().get("/api/v1/monitoring/{m}/versions/1/drift", model)
                .then().statusCode(200).body("windows", hasSize(0));
        given().when().get("/api/v1/monitoring/{m}/status", "bad name!")
                .then().statusCode(400);
    }
}
