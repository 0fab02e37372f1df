package io.flywheel.gateway.auth;

import io.flywheel.gateway.config.GatewayConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * The bootstrap admin key from configuration is stored once, as an ordinary key: it can be replaced
 * and revoked, and stays revoked when the gateway starts again with it still configured.
 */
@QuarkusTest
@TestProfile(BootstrapKeyTest.OwnBootstrapKey.class)
class BootstrapKeyTest {

    static final String BOOTSTRAP = "fwk_00000000b007_bootstrap-key-of-the-rotation-test-00000000";

    public static class OwnBootstrapKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.auth.bootstrap-key", BOOTSTRAP);
        }
    }

    @Inject
    BootstrapKey bootstrap;

    @Inject
    GatewayConfig config;

    @Inject
    KeyLookup lookup;

    @Test
    void aRotatedBootstrapKeyStaysRevoked() {
        given().header("X-API-Key", BOOTSTRAP).when().get("/api/v1/keys").then().statusCode(200);

        String replacement = given().header("X-API-Key", BOOTSTRAP).contentType(ContentType.JSON)
                .body("{\"name\":\"admin-after-rotation\",\"roles\":[\"admin\"]}")
                .when().post("/api/v1/keys").then().statusCode(201).extract().path("key");
        given().header("X-API-Key", replacement).when().delete("/api/v1/keys/{id}", "00000000b007").then().statusCode(200);
        given().header("X-API-Key", BOOTSTRAP).when().get("/api/v1/keys").then().statusCode(401);

        bootstrap.store(null, config, lookup); // the gateway starts again, the old key still in its environment
        given().header("X-API-Key", BOOTSTRAP).when().get("/api/v1/keys").then().statusCode(401);
        given().header("X-API-Key", replacement).when().get("/api/v1/keys").then().statusCode(200);
    }
}
