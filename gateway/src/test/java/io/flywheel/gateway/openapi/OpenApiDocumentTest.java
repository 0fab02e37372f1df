package io.flywheel.gateway.openapi;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The whole surface in one document, served without a key. Needs the five services running
 * (`./flywheel test` starts them first); the test profile's dead route shows up as unavailable.
 */
@QuarkusTest
class OpenApiDocumentTest {

    @Test
    void oneDocumentForEveryService() {
        given().when().get("/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo("Flywheel API"))
                .body("paths.'/api/v1/keys'", notNullValue())
                .body("paths.'/api/v1/predictions'", notNullValue())
                .body("paths.'/api/v1/models'", notNullValue())
                .body("paths.'/api/v1/monitoring/{model}/status'", notNullValue())
                .body("paths.'/api/v1/retrain/triggers'", notNullValue())
                .body("paths.'/api/v1/deployments/{model}'", notNullValue())
                .body("components.securitySchemes.apiKey.name", equalTo("X-API-Key"))
                .body("'x-unavailable-services'", hasItem("nowhere-service"));
    }

    @Test
    void swaggerUiIsServed() {
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }
}
