package io.flywheel.registry.rest;

import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flywheel.registry.Fixtures.createDraft;
import static io.flywheel.registry.Fixtures.createModel;
import static io.flywheel.registry.Fixtures.randomBytes;
import static io.flywheel.registry.Fixtures.upload;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class AliasResourceTest {

    private static final String ALIASES = "/api/v1/models/{name}/aliases";
    private static final String ALIAS = ALIASES + "/{alias}";

    /** A model with versions 1..n, all ready. */
    private static String modelWithReadyVersions(int n) {
        String model = createModel("alias");
        for (int i = 1; i <= n; i++) {
            upload(model, createDraft(model), randomBytes(64));
        }
        return model;
    }

    private static String move(String model, String alias, int version, String ifMatch, String who, String reason) {
        var request = given().contentType(ContentType.JSON).header("Authorization", TestCallers.bearer(who))
                .body("{\"version\": " + version + ", \"reason\": \"" + reason + "\"}");
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.when().put(ALIAS, model, alias).then().statusCode(200).extract().header("ETag");
    }

    @Test
    void movingAnAliasResolvesItAndTellsItsEtag() {
        String model = modelWithReadyVersions(2);
        String etag = given().contentType(ContentType.JSON).header("Authorization", TestCallers.bearer("deploy"))
                .body("{\"version\": 1, \"reason\": \"first release\"}")
                .when().put(ALIAS, model, "champion")
                .then().statusCode(200)
                .header("ETag", notNullValue())
                .body("model", equalTo(model))
                .body("alias", equalTo("champion"))
                .body("version", equalTo(1))
                .body("updated_by", equalTo("deploy"))
                .body("updated_at", notNullValue())
                .extract().header("ETag");

        given().when().get(ALIAS, model, "champion")
                .then().statusCode(200).header("ETag", etag).body("version", equalTo(1));
    }

    @Test
    void aStaleWriterGets412AndTheAliasDoesNotMove() {
        String model = modelWithReadyVersions(3);
        String seen = move(model, "champion", 1, null, "alice", "start");

        // two writers read the same ETag; the first moves the alias, the second is refused
        String moved = move(model, "champion", 2, seen, "alice", "better auc");
        assertThat(moved).isNotEqualTo(seen);
        given().contentType(ContentType.JSON).header("If-Match", seen).body("{\"version\": 3}")
                .when().put(ALIAS, model, "champion")
                .then().statusCode(412)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:precondition-failed"))
                .body("detail", containsString("has moved"));
        given().when().get(ALIAS, model, "champion").then().body("version", equalTo(2)).header("ETag", moved);

        // If-Match on an alias that does not exist yet can't hold either
        given().contentType(ContentType.JSON).header("If-Match", seen).body("{\"version\": 1}")
                .when().put(ALIAS, model, "challenger")
                .then().statusCode(412);
    }

    @Test
    void everyMoveIsKeptInTheHistory() {
        String model = modelWithReadyVersions(2);
        move(model, "champion", 1, null, "alice", "first");
        move(model, "champion", 2, null, "bob", "second");
        move(model, "champion", 2, null, "carol", "same version: no move");
        given().queryParam("reason", "retired").header("Authorization", TestCallers.bearer("dave"))
                .when().delete(ALIAS, model, "champion").then().statusCode(204);

        given().when().get(ALIAS + "/history", model, "champion")
                .then().statusCode(200)
                .body("items.from_version", equalTo(java.util.Arrays.asList(2, 1, null)))
                .body("items.to_version", equalTo(java.util.Arrays.asList(null, 2, 1)))
                .body("items.moved_by", equalTo(List.of("dave", "bob", "alice")))
                .body("items.reason", equalTo(List.of("retired", "second", "first")))
                .body("items[0].moved_at", notNullValue());
        given().when().get(ALIAS, model, "champion").then().statusCode(404);
    }

    @Test
    void historyPagesWithACursor() {
        String model = modelWithReadyVersions(3);
        for (int v = 1; v <= 3; v++) {
            move(model, "champion", v, null, "alice", "step " + v);
        }
        String cursor = given().queryParam("limit", 2).when().get(ALIAS + "/history", model, "champion")
                .then().body("items.to_version", equalTo(List.of(3, 2))).extract().path("next_cursor");
        given().queryParam("limit", 2).queryParam("cursor", cursor).when().get(ALIAS + "/history", model, "champion")
                .then().body("items.to_version", equalTo(List.of(1))).body("next_cursor", nullValue());
    }

    @Test
    void latestIsDerivedAndCanNotBeSet() {
        String model = createModel("latest");
        given().when().get(ALIAS, model, "latest").then().statusCode(404);
        upload(model, createDraft(model), randomBytes(10));
        upload(model, createDraft(model), randomBytes(10));
        createDraft(model); // a draft is not "latest"
        given().when().get(ALIAS, model, "latest")
                .then().statusCode(200).body("version", equalTo(2)).body("derived", equalTo(true));
        given().contentType(ContentType.JSON).body("{\"version\": 1}")
                .when().put(ALIAS, model, "latest")
                .then().statusCode(400).body("detail", containsString("'latest' is derived"));
        given().when().delete(ALIAS, model, "latest").then().statusCode(400);
        given().when().get(ALIASES, model).then().statusCode(200).body("alias", hasItem("latest"));
    }

    @Test
    void anAliasPointsOnlyAtAReadyVersionThatExists() {
        String model = createModel("alias-target");
        int draft = createDraft(model);
        given().contentType(ContentType.JSON).body("{\"version\": " + draft + "}")
                .when().put(ALIAS, model, "champion")
                .then().statusCode(409).body("type", equalTo("urn:flywheel:problem:version-not-ready"));
        given().contentType(ContentType.JSON).body("{\"version\": 42}")
                .when().put(ALIAS, model, "champion")
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"version\": 1}")
                .when().put(ALIAS, "no-such-model", "champion")
                .then().statusCode(404).body("detail", equalTo("model 'no-such-model' does not exist"));
        given().contentType(ContentType.JSON).body("{}")
                .when().put(ALIAS, model, "champion")
                .then().statusCode(400).body("violations.message", hasItem("version is required"));
        given().contentType(ContentType.JSON).body("{\"version\": 1}")
                .when().put(ALIAS, model, "bad alias!")
                .then().statusCode(400);
    }

    @Test
    void ofManyWritersHoldingTheSameEtagExactlyOneMovesTheAlias() throws Exception {
        String model = modelWithReadyVersions(3);
        String seen = move(model, "champion", 1, null, "setup", "start");
        int writers = 8;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                int target = 2 + i % 2;
                statuses.add(pool.submit(() -> {
                    start.await();
                    return given().contentType(ContentType.JSON).header("If-Match", seen)
                            .body("{\"version\": " + target + "}")
                            .when().put(ALIAS, model, "champion").statusCode();
                }));
            }
            start.countDown();
            List<Integer> codes = new java.util.ArrayList<>();
            for (var status : statuses) {
                codes.add(status.get());
            }
            assertThat(codes).containsOnly(200, 412);
            assertThat(codes).filteredOn(code -> code == 200).hasSize(1);
        }
        // one move after the setup, in the history as in the alias
        given().when().get(ALIAS + "/history", model, "champion")
                .then().body("items.size()", equalTo(2)).body("items[1].to_version", equalTo(1));
    }
}
