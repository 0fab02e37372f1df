package io.flywheel.gateway;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** Requests as the bootstrap admin of the test profile (gateway.auth.bootstrap-key). */
public final class TestAuth {

    public static final String ADMIN_KEY = "fwk_0000000000a1_test-admin-key-of-the-gateway-quarkus-test0";

    public static RequestSpecification asAdmin() {
        return given().header("X-API-Key", ADMIN_KEY);
    }

    public static RequestSpecification withKey(String key) {
        return given().header("X-API-Key", key);
    }

    /** A new key with one role, created by the admin; returns the key (shown only at creation). */
    public static String createKey(String name, String role) {
        return asAdmin().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"roles\":[\"" + role + "\"]}")
                .when().post("/api/v1/keys")
                .then().statusCode(201)
                .extract().path("key");
    }

    private TestAuth() {
    }
}
