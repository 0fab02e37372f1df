package io.flywheel.gateway.llm;

import io.flywheel.gateway.TestAuth;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.flywheel.gateway.TestAuth.withKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** LLM projects and their key pairs: issued to admins, shown once, good until revoked, and good only on Langfuse's routes. */
@QuarkusTest
class LlmProjectAuthTest {

    private static final String BATCH = "{\"batch\":[]}";

    private static int ingest(io.restassured.specification.RequestSpecification request) {
        return request.contentType(ContentType.JSON).body(BATCH).when().post("/api/public/ingestion").then().extract().statusCode();
    }

    @Test
    void aProjectComesWithAKeyPairShownOnce() {
        String name = "proj-" + UUID.randomUUID().toString().substring(0, 8);
        var created = asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post("/api/v1/llm/projects")
                .then().statusCode(201)
                .body("name", equalTo(name))
                .body("id", notNullValue())
                .body("public_key", startsWith("pk-lf-"))
                .body("secret_key", startsWith("sk-lf-"))
                .body("created_at", notNullValue())
                .extract();
        String id = created.path("id");
        String publicKey = created.path("public_key");

        asAdmin().when().get("/api/v1/llm/projects").then().statusCode(200)
                .body("items.name", hasItem(name))
                .body("items.find { it.id == '" + id + "' }.key_pairs.public_key", equalTo(java.util.List.of(publicKey)))
                .body("items.find { it.id == '" + id + "' }.key_pairs[0]", not(hasKey("secret_key")))
                .body("items.find { it.id == '" + id + "' }.key_pairs[0]", not(hasKey("secret_hash")));
        asAdmin().when().get("/api/v1/llm/projects/{id}", id).then().statusCode(200)
                .body("name", equalTo(name)).body("key_pairs", hasSize(1)).body("created_by", equalTo("bootstrap-admin"));
        // names are unique
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post("/api/v1/llm/projects")
                .then().statusCode(409).contentType("application/problem+json").body("type", equalTo("urn:flywheel:problem:already-exists"));
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"no spaces\"}")
                .when().post("/api/v1/llm/projects")
                .then().statusCode(400).contentType("application/problem+json");
        asAdmin().when().get("/api/v1/llm/projects/{id}", "nope").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void onlyAdminsManageProjects() {
        String viewer = TestAuth.createKey("llm-viewer-" + UUID.randomUUID().toString().substring(0, 8), "viewer");
        String editor = TestAuth.createKey("llm-editor-" + UUID.randomUUID().toString().substring(0, 8), "editor");
        withKey(viewer).when().get("/api/v1/llm/projects").then().statusCode(403).contentType("application/problem+json");
        withKey(editor).contentType(ContentType.JSON).body("{\"name\":\"x\"}").when().post("/api/v1/llm/projects")
                .then().statusCode(403).contentType("application/problem+json");
        given().when().get("/api/v1/llm/projects").then().statusCode(401).contentType("application/problem+json");
        LlmTestProjects.Project project = LlmTestProjects.create("self");
        project.given().when().get("/api/v1/llm/projects").then().statusCode(403);
    }

    @Test
    void theKeyPairWorksUntilRevokedAndASecondPairRotatesIt() {
        LlmTestProjects.Project project = LlmTestProjects.create("auth");
        org.assertj.core.api.Assertions.assertThat(ingest(project.given())).isEqualTo(207);

        // a wrong secret, an unknown public key, a malformed value: Langfuse's 401
        LlmTestProjects.withBasic(project.publicKey(), LlmKeys.generate().secretKey())
                .contentType(ContentType.JSON).body(BATCH).when().post("/api/public/ingestion")
                .then().statusCode(401).contentType("application/json")
                .header("WWW-Authenticate", startsWith("Basic"))
                .body("message", containsString("Invalid credentials"))
                .body("$", not(hasKey("type")));
        LlmTestProjects.withBasic(LlmKeys.generate().publicKey(), project.secretKey())
                .contentType(ContentType.JSON).body(BATCH).when().post("/api/public/ingestion")
                .then().statusCode(401).body("message", containsString("Invalid credentials"));
        LlmTestProjects.withBasic("pk-lf-test", "sk-lf-test")
                .contentType(ContentType.JSON).body(BATCH).when().post("/api/public/ingestion")
                .then().statusCode(401).contentType("application/json").body("message", notNullValue());
        given().contentType(ContentType.JSON).body(BATCH).when().post("/api/public/ingestion")
                .then().statusCode(401).contentType("application/json").body("message", containsString("HTTP Basic"));

        // rotation: a second pair, then the first revoked
        var second = asAdmin().when().post("/api/v1/llm/projects/{id}/keys", project.id())
                .then().statusCode(201).body("id", equalTo(project.id())).body("secret_key", startsWith("sk-lf-")).extract();
        String secondBasic = LlmTestProjects.basic(second.path("public_key"), second.path("secret_key"));
        asAdmin().when().delete("/api/v1/llm/projects/{id}/keys/{pk}", project.id(), project.publicKey())
                .then().statusCode(200).body("revoked_at", notNullValue()).body("public_key", equalTo(project.publicKey()));
        org.assertj.core.api.Assertions.assertThat(ingest(project.given())).isEqualTo(401);
        org.assertj.core.api.Assertions.assertThat(ingest(given().header("Authorization", secondBasic))).isEqualTo(207);
        asAdmin().when().get("/api/v1/llm/projects/{id}", project.id()).then()
                .body("key_pairs.find { it.public_key == '" + project.publicKey() + "' }.revoked_at", notNullValue())
                .body("key_pairs.find { it.public_key == '" + (String) second.path("public_key") + "' }.revoked_at", nullValue());
        // a pair of another project, or none at all, can't be revoked through this one
        asAdmin().when().delete("/api/v1/llm/projects/{id}/keys/{pk}", "another", second.path("public_key"))
                .then().statusCode(404);
    }

    @Test
    void apiKeysAndTokensDoNotReachLangfusesRoutes() {
        asAdmin().contentType(ContentType.JSON).body(BATCH).when().post("/api/public/ingestion")
                .then().statusCode(403).contentType("application/json").body("error", equalTo("AccessDenied"))
                .body("message", containsString("key pair"));
        asAdmin().contentType(ContentType.JSON).body("{}").when().post("/v1/traces").then().statusCode(403);
        asAdmin().when().get("/api/public/traces").then().statusCode(403);
        String token = Jwt.issuer("https://idp.test/flywheel").upn("admin@example.com").groups(Set.of("admin")).expiresIn(300).sign();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(BATCH).when().post("/api/public/ingestion")
                .then().statusCode(403);
    }

    @Test
    void aKeyPairReachesNothingButLangfusesRoutes() {
        LlmTestProjects.Project project = LlmTestProjects.create("confined");
        project.given().when().get("/api/v1/models").then().statusCode(403).contentType("application/problem+json");
        project.given().contentType(ContentType.JSON).body("[]").when().post("/api/v1/predictions").then().statusCode(403);
        project.given().when().get("/api/v1/keys").then().statusCode(403);
        project.given().when().get("/api/v1/llm/traces").then().statusCode(403);
        project.given().contentType(ContentType.JSON).body("{}").when().post("/api/public/scores").then().statusCode(403)
                .contentType("application/json");
        // a token can't pass itself off as a project: the name alone gives no access
        String token = Jwt.issuer("https://idp.test/flywheel").upn("llm-project:" + project.id()).groups(Set.of("admin")).expiresIn(300).sign();
        given().auth().oauth2(token).when().get("/api/v1/models").then().statusCode(403);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(BATCH).when().post("/api/public/ingestion").then().statusCode(403);
    }

    @Test
    void healthIsOpenAndInLangfusesShape() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> given().get("/api/public/health").statusCode() == 200); // once the readiness probe has found Kafka
        given().when().get("/api/public/health").then().statusCode(200)
                .contentType("application/json")
                .body("status", equalTo("OK"))
                .body("version", notNullValue());
    }

    @Test
    void theOperationsAreInTheGatewaysOwnDocument() {
        asAdmin().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/llm/projects'.post", notNullValue())
                .body("paths.'/api/v1/llm/projects/{id}/keys/{publicKey}'.delete", notNullValue())
                .body("paths.'/api/public/ingestion'.post", notNullValue())
                .body("paths.'/api/public/otel/v1/traces'.post", notNullValue())
                .body("paths.'/api/public/health'.get", notNullValue())
                .body("paths.'/v1/traces'.post", notNullValue());
    }

    @Test
    void listsCarryNoSecret() {
        LlmTestProjects.create("listed");
        asAdmin().when().get("/api/v1/llm/projects").then().statusCode(200)
                .body("items", everyItem(not(hasKey("secret_key"))))
                .body("items.key_pairs.flatten()", everyItem(not(hasKey("secret_key"))));
    }
}
