package io.flywheel.registry.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.flywheel.registry.Fixtures.createDraft;
import static io.flywheel.registry.Fixtures.createModel;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** A version's format: flywheel-linear, onnx or external (json is read as flywheel-linear). */
@QuarkusTest
class ModelFormatTest {

    private static final String VERSIONS = "/api/v1/models/{name}/versions";
    private static final String VERSION = VERSIONS + "/{v}";

    @Test
    void noFormatAndTheLegacyJsonAreFlywheelLinear() {
        String model = createModel("formats");
        int none = createDraft(model, "{\"framework\": \"sklearn\"}");
        int json = createDraft(model, "{\"format\": \"json\"}");
        int onnx = createDraft(model, "{\"format\": \"onnx\"}");

        given().when().get(VERSION, model, none).then().body("format", equalTo("flywheel-linear"));
        given().when().get(VERSION, model, json).then().body("format", equalTo("flywheel-linear"));
        given().when().get(VERSION, model, onnx).then().body("format", equalTo("onnx"));
        given().when().get(VERSIONS + "?status=draft", model).then().body("items.format", hasItem("onnx"));
    }

    @Test
    void anyOtherFormatIsA400ListingTheThree() {
        String model = createModel("formats-bad");
        given().contentType(ContentType.JSON).body("{\"format\": \"pickle\"}")
                .when().post(VERSIONS, model)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:invalid-request"))
                .body(containsString("format must be one of flywheel-linear, onnx, external"));
    }

    @Test
    void aDraftsFormatCanChangeButNeverToExternal() {
        String model = createModel("formats-patch");
        int version = createDraft(model, "{}");

        given().contentType(ContentType.JSON).body("{\"format\": \"onnx\"}").when().patch(VERSION, model, version)
                .then().statusCode(200).body("format", equalTo("onnx"));
        given().contentType(ContentType.JSON).body("{\"format\": \"json\"}").when().patch(VERSION, model, version)
                .then().statusCode(200).body("format", equalTo("flywheel-linear"));
        given().contentType(ContentType.JSON).body("{\"format\": \"bin\"}").when().patch(VERSION, model, version)
                .then().statusCode(400).body(containsString("format must be one of flywheel-linear, onnx, external"));
        given().contentType(ContentType.JSON).body("{\"format\": \"external\"}").when().patch(VERSION, model, version)
                .then().statusCode(400)
                .body("type", equalTo("urn:flywheel:problem:invalid-request"))
                .body("detail", containsString("a draft can't become external"));
        given().when().get(VERSION, model, version).then().body("format", equalTo("flywheel-linear"));
    }
}
