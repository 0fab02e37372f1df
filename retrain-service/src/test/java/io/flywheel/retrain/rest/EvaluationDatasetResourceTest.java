package io.flywheel.retrain.rest;

import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Flywheel's dataset API: a Flywheel caller names the project; a key pair's caller is held to its own. */
@QuarkusTest
@TestHTTPEndpoint(EvaluationDatasetResource.class)
class EvaluationDatasetResourceTest {

    private static String project() {
        return "fw-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void datasetsAndItemsAreUpsertedListedAndDeleted() {
        String project = project();
        given().contentType("application/json").body("{\"project\": \"" + project + "\", \"name\": \"support/qa\", \"description\": \"d\"}")
                .post().then().statusCode(201)
                .header("Location", containsString("/api/v1/evaluation/datasets/"))
                .body("project", equalTo(project)).body("name", equalTo("support/qa")).body("input_schema", nullValue());
        given().contentType("application/json").body("{\"project\": \"" + project + "\", \"name\": \"support/qa\", \"metadata\": {\"a\": 1}}")
                .post().then().statusCode(200).body("description", equalTo("d")).body("metadata.a", equalTo(1));

        given().queryParam("project", project).contentType("application/json")
                .body("{\"id\": \"i-1\", \"input\": {\"q\": \"hi\"}, \"expected_output\": \"hello\"}")
                .post("support/qa/items").then().statusCode(201).body("id", equalTo("i-1")).body("dataset", equalTo("support/qa"))
                .body("status", equalTo("ACTIVE")).body("expected_output", equalTo("hello"));
        given().queryParam("project", project).contentType("application/json").body("{\"id\": \"i-1\", \"status\": \"ARCHIVED\"}")
                .post("support/qa/items").then().statusCode(200).body("status", equalTo("ARCHIVED")).body("input.q", equalTo("hi"));
        for (int i = 0; i < 3; i++) {
            given().queryParam("project", project).contentType("application/json").body("{\"input\": \"x" + i + "\"}")
                    .post("support/qa/items").then().statusCode(201).body("id", notNullValue());
        }

        String next = given().queryParam("project", project).queryParam("limit", 3).get("support/qa/items").then().statusCode(200)
                .body("items", hasSize(3)).body("next_cursor", notNullValue()).extract().path("next_cursor");
        given().queryParam("project", project).queryParam("limit", 3).queryParam("cursor", next).get("support/qa/items").then().statusCode(200)
                .body("items", hasSize(1)).body("next_cursor", nullValue());
        given().queryParam("project", project).queryParam("status", "ARCHIVED").get("support/qa/items").then().statusCode(200)
                .body("items.id", contains("i-1"));

        given().queryParam("project", project).get("support/qa/items/i-1").then().statusCode(200).body("id", equalTo("i-1"));
        given().queryParam("project", project).delete("support/qa/items/i-1").then().statusCode(204);
        given().queryParam("project", project).get("support/qa/items/i-1").then().statusCode(404)
                .contentType("application/problem+json").body("type", containsString("not-found"));

        given().queryParam("project", project).get().then().statusCode(200).body("items.name", contains("support/qa"));
        given().queryParam("project", project).get("support/qa/runs").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void theDefaultProjectAndAKeyPairsOwnProject() {
        String name = "default-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body("{\"name\": \"" + name + "\"}").post().then().statusCode(201)
                .body("project", equalTo("default"));
        given().get(name).then().statusCode(200);

        String own = project();
        given().header("Authorization", TestCallers.bearer("llm-project:" + own)).contentType("application/json")
                .body("{\"name\": \"mine\"}").post().then().statusCode(201).body("project", equalTo(own));
        given().header("Authorization", TestCallers.bearer("llm-project:" + own)).queryParam("project", "default").get(name)
                .then().statusCode(403).contentType("application/problem+json").body("type", containsString("forbidden"));
    }

    @Test
    void badInputIsAProblemSayingWhatToFix() {
        given().contentType("application/json").body("{\"description\": \"no name\"}").post().then().statusCode(400)
                .contentType("application/problem+json");
        String project = project();
        given().contentType("application/json").body("{\"project\": \"" + project + "\", \"name\": \"d\"}").post().then().statusCode(201);
        given().queryParam("project", project).contentType("application/json").body("{\"status\": \"DONE\"}").post("d/items").then()
                .statusCode(400).body("detail", containsString("ACTIVE or ARCHIVED"));
        given().queryParam("project", project).get("missing/items").then().statusCode(404).body("detail", containsString("missing"));
        given().queryParam("project", project).queryParam("cursor", "bogus!").get().then().statusCode(400);
        // PostgreSQL's text can't hold NUL: refused, saying so, rather than a 500
        given().contentType("application/json").body("{\"project\": \"" + project + "\", \"name\": \"a\\u0000b\"}").post().then()
                .statusCode(400).body("detail", containsString("NUL"));
        given().contentType("application/json").body("{\"project\": \"p\\u0000\", \"name\": \"ab\"}").post().then()
                .statusCode(400).body("detail", containsString("NUL"));
    }
}
