package io.flywheel.gateway;

import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** Requests as the bootstrap admin of the test profile (gateway.auth.bootstrap-key). */
public final class TestAuth {

    public static final String ADMIN_KEY = "test-admin-key";

    public static RequestSpecification asAdmin() {
        return given().header("X-API-Key", ADMIN_KEY);
    }

    public static RequestSpecification withKey(String key) {
        return given().header("X-API-Key", key);
    }

    private TestAuth() {
    }
}
