package io.flywheel.gateway.llm;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.hasSize;

/** Langfuse's GET /api/public/projects: the SDKs' experiment runner reads data[0].id of the calling key pair's project. */
@QuarkusTest
class LangfuseProjectsTest {

    @Test
    void aKeyPairSeesItsOwnProjectOnly() {
        LlmTestProjects.Project project = LlmTestProjects.create("projects");
        LlmTestProjects.create("other");
        project.given().when().get("/api/public/projects").then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].id", equalTo(project.id()))
                .body("data[0].name", equalTo(project.name()))
                .body("data[0].organization.id", equalTo("flywheel"))
                .body("data[0].organization.name", equalTo("Flywheel"))
                .body("data[0].metadata", anEmptyMap());
    }

    @Test
    void withoutAKeyPairItIsRefused() {
        io.restassured.RestAssured.given().when().get("/api/public/projects").then().statusCode(401);
        LlmTestProjects.withBasic("pk-lf-nobody", "sk-lf-nothing").when().get("/api/public/projects").then().statusCode(401);
        // an admin's API key is not a project's key pair
        int status = asAdmin().when().get("/api/public/projects").then().extract().statusCode();
        org.assertj.core.api.Assertions.assertThat(status).isIn(401, 403);
    }
}
