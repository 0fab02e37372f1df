package io.flywheel.registry.rest;

import io.flywheel.internalauth.TestCallers;
import io.flywheel.registry.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flywheel.registry.Fixtures.createDraft;
import static io.flywheel.registry.Fixtures.createModel;
import static io.flywheel.registry.Fixtures.randomBytes;
import static io.flywheel.registry.Fixtures.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class VersionResourceTest {

    // the class path has a template, so paths are spelt out: @TestHTTPEndpoint would prefix the fixtures' calls too
    private static final String VERSIONS = "/api/v1/models/{name}/versions";
    private static final String VERSION = VERSIONS + "/{v}";

    private static final String FULL = """
            {"description": "first cut", "framework": "flywheel-linear", "format": "json",
             "signature": {"inputs": [{"name": "age", "type": "number"}, {"name": "plan", "type": "string"}],
                           "output": {"name": "churn", "type": "number"}},
             "metrics": {"auc": 0.81}, "params": {"l2": 1.0, "solver": "lbfgs"}, "tags": {"k": "v"},
             "lineage": {"code": {"repository": "https://git/x", "commit": "ABC123"}, "retrain_job": "job-7"}}""";

    @Test
    void registersADraftWithTheNextNumberAndTheContractShape() {
        String model = createModel("versions");
        given().contentType(ContentType.JSON).header("Authorization", TestCallers.bearer("alice")).body(FULL)
                .when().post(VERSIONS, model)
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/models/" + model + "/versions/1"))
                .body("model", equalTo(model))
                .body("version", equalTo(1))
                .body("status", equalTo("draft"))
                .body("framework", equalTo("flywheel-linear"))
                .body("signature.inputs[1].name", equalTo("plan"))
                .body("signature.output.type", equalTo("number"))
                .body("metrics.auc", equalTo(0.81f))
                .body("params.solver", equalTo("lbfgs"))
                .body("lineage.code.commit", equalTo("abc123"))
                .body("lineage.retrain_job", equalTo("job-7"))
                .body("lineage.dataset_versions", equalTo(List.of()))
                .body("lineage.parent_version", nullValue())
                .body("artifact", nullValue())
                .body("created_by", equalTo("alice"))
                .body("created_at", notNullValue())
                .body("finalised_at", nullValue());

        given().contentType(ContentType.JSON).body(Fixtures.versionBody())
                .when().post(VERSIONS, model)
                .then().statusCode(201).body("version", equalTo(2));
        given().when().get(VERSION, model, 2).then().statusCode(200).body("status", equalTo("draft"));
    }

    @Test
    void listsNewestFirstWithACursorAndAStatusFilter() {
        String model = createModel("list");
        for (int i = 0; i < 3; i++) {
            createDraft(model);
        }
        upload(model, 2, randomBytes(64));
        String cursor = given().queryParam("limit", 2).when().get(VERSIONS, model)
                .then().statusCode(200)
                .body("items.version", equalTo(List.of(3, 2)))
                .extract().path("next_cursor");
        given().queryParam("limit", 2).queryParam("cursor", cursor).when().get(VERSIONS, model)
                .then().statusCode(200)
                .body("items.version", equalTo(List.of(1)))
                .body("next_cursor", nullValue());
        given().queryParam("status", "ready").when().get(VERSIONS, model)
                .then().statusCode(200).body("items.version", equalTo(List.of(2)));
    }

    @Test
    void badMetadataIsA400ThatSaysWhatToFix() {
        String model = createModel("bad-meta");
        given().contentType(ContentType.JSON)
                .body("{\"signature\": {\"inputs\": [{\"name\": \"age\", \"type\": \"float\"}], \"output\": {\"name\": \"y\", \"type\": \"number\"}}}")
                .when().post(VERSIONS, model)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.message", hasItem("type must be one of number|integer|string|boolean"));
        given().contentType(ContentType.JSON).body("{\"lineage\": {\"code\": {\"repository\": \"r\", \"commit\": \"main\"}}}")
                .when().post(VERSIONS, model)
                .then().statusCode(400)
                .body("violations.message", hasItem("code.commit must be a commit id: 4 to 64 hex digits"));
        given().contentType(ContentType.JSON).body("{\"metrics\": {\"auc\": \"high\"}}")
                .when().post(VERSIONS, model)
                .then().statusCode(400)
                .body("type", equalTo("urn:flywheel:problem:invalid-json"))
                .body("detail", equalTo("the body does not fit: 'metrics.auc' can't be \"high\"; it must be a number"));
        given().contentType(ContentType.JSON).body("{\"metricz\": {}}")
                .when().post(VERSIONS, model)
                .then().statusCode(400)
                .body("detail", containsString("unknown field 'metricz'"));
        given().contentType(ContentType.JSON)
                .body("{\"signature\": {\"inputs\": [{\"name\": \"a\", \"type\": \"number\"}, {\"name\": \"a\", \"type\": \"string\"}], \"output\": {\"name\": \"y\", \"type\": \"number\"}}}")
                .when().post(VERSIONS, model)
                .then().statusCode(400)
                .body("detail", equalTo("signature.inputs names feature 'a' twice"));
    }

    @Test
    void lineageMustNameWhatTheRegistryHolds() {
        String model = createModel("lineage-check");
        given().contentType(ContentType.JSON)
                .body("{\"lineage\": {\"dataset_versions\": [{\"dataset\": \"nope\", \"id\": \"" + "a".repeat(64) + "\"}]}}")
                .when().post(VERSIONS, model)
                .then().statusCode(422)
                .body("type", equalTo("urn:flywheel:problem:unknown-lineage"))
                .body("detail", containsString("lineage.dataset_versions[0]: dataset 'nope' has no version"));
        given().contentType(ContentType.JSON).body("{\"lineage\": {\"parent_version\": 9}}")
                .when().post(VERSIONS, model)
                .then().statusCode(422)
                .body("detail", containsString("lineage.parent_version 9 is not a version"));
        given().when().get(VERSIONS, model).then().body("items", equalTo(List.of()));
    }

    @Test
    void aFinalisedVersionKeepsItsMetadataButNotItsTags() {
        String model = createModel("immutable");
        int version = createDraft(model);
        // (random bytes are no ONNX model: an onnx version would refuse them, see OnnxUploadTest)
        given().contentType(ContentType.JSON).body("{\"metrics\": {\"auc\": 0.9}, \"format\": \"flywheel-linear\"}")
                .when().patch(VERSION, model, version)
                .then().statusCode(200).body("metrics.auc", equalTo(0.9f)).body("format", equalTo("flywheel-linear"));
        upload(model, version, randomBytes(128));

        given().contentType(ContentType.JSON).body("{\"metrics\": {\"auc\": 0.99}}")
                .when().patch(VERSION, model, version)
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:version-finalised"))
                .body("detail", containsString("its metrics can't change"));
        given().contentType("application/merge-patch+json").body("{\"description\": \"promoted\", \"tags\": {\"k\": null, \"stage\": \"prod\"}}")
                .when().patch(VERSION, model, version)
                .then().statusCode(200)
                .body("description", equalTo("promoted"))
                .body("tags.stage", equalTo("prod"))
                .body("tags.k", nullValue())
                .body("metrics.auc", equalTo(0.9f));
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheSameDraft() {
        String model = createModel("idempotent");
        given().contentType(ContentType.JSON).header("Idempotency-Key", "attempt-1").body(Fixtures.versionBody())
                .when().post(VERSIONS, model).then().statusCode(201).body("version", equalTo(1));
        given().contentType(ContentType.JSON).header("Idempotency-Key", "attempt-1").body(Fixtures.versionBody())
                .when().post(VERSIONS, model)
                .then().statusCode(201)
                .header("Idempotent-Replayed", "true")
                .body("version", equalTo(1));
        given().when().get(VERSIONS, model).then().body("items.version", equalTo(List.of(1)));
    }

    @Test
    void anArchivedModelTakesNoNewVersions() {
        String model = createModel("archived");
        given().contentType(ContentType.JSON).body("{\"archived\": true}")
                .when().patch("/api/v1/models/{name}", model).then().statusCode(200).body("archived", equalTo(true));
        given().contentType(ContentType.JSON).body(Fixtures.versionBody())
                .when().post(VERSIONS, model)
                .then().statusCode(409)
                .body("type", equalTo("urn:flywheel:problem:model-archived"));
    }

    @Test
    void unknownModelsAndVersionsAreNotFound() {
        given().contentType(ContentType.JSON).body(Fixtures.versionBody())
                .when().post(VERSIONS, "never-made")
                .then().statusCode(404).body("detail", equalTo("model 'never-made' does not exist"));
        String model = createModel("nf");
        given().when().get(VERSION, model, 7)
                .then().statusCode(404).body("detail", equalTo("model version '" + model + "/7' does not exist"));
    }
}
