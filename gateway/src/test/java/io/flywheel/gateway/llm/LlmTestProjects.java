package io.flywheel.gateway.llm;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;

/** LLM projects made by the test admin, and requests with their key pairs. */
final class LlmTestProjects {

    record Project(String id, String name, String publicKey, String secretKey) {
        String basic() {
            return LlmTestProjects.basic(publicKey, secretKey);
        }

        RequestSpecification given() {
            return io.restassured.RestAssured.given().header("Authorization", basic());
        }
    }

    static Project create(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        var created = asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post("/api/v1/llm/projects")
                .then().statusCode(201).extract();
        return new Project(created.path("id"), name, created.path("public_key"), created.path("secret_key"));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static RequestSpecification withBasic(String user, String password) {
        return given().header("Authorization", basic(user, password));
    }

    private LlmTestProjects() {
    }
}
