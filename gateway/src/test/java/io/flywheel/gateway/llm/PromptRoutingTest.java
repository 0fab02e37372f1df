package io.flywheel.gateway.llm;

import io.flywheel.gateway.routing.EchoUpstream;
import io.flywheel.internalauth.InternalToken;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.flywheel.gateway.TestAuth.createKey;
import static io.flywheel.gateway.TestAuth.withKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Prompts go to the registry (here an echo server in its place): a Langfuse name with folders keeps
 * its encoded '/' all the way (the registry decodes it as part of the name), an encoded '/' elsewhere
 * is still refused, and the internal token carries the caller's roles (admin moves protected labels)
 * but none for a key pair.
 */
@QuarkusTest
@QuarkusTestResource(value = PromptRoutingTest.EchoRegistry.class, restrictToAnnotatedClass = true)
class PromptRoutingTest {

    /** The echo upstream, standing in for the registry. */
    public static class EchoRegistry extends EchoUpstream {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.put("gateway.services.registry-service.url", config.get("gateway.services.echo.url"));
            return config;
        }
    }

    private static InternalToken.Caller caller(String authorization) {
        InternalToken tokens = new InternalToken(ConfigProvider.getConfig().getValue("flywheel.internal-auth.secret", String.class));
        assertThat(authorization).startsWith("Bearer ");
        return tokens.verify(authorization.substring(7)).orElseThrow();
    }

    @Test
    void aFolderNameKeepsItsEncodedSlashToTheRegistry() {
        LlmTestProjects.Project project = LlmTestProjects.create("prompts");
        String get = "/api/public/v2/prompts/team-a%2Fsummarizer%20v2?label=production";
        var echoed = project.given().urlEncodingEnabled(false).when().get(get)
                .then().statusCode(200).body("uri", equalTo(get)).extract();
        InternalToken.Caller caller = caller(echoed.path("headers.authorization"));
        assertThat(caller.principal()).isEqualTo("llm-project:" + project.id());
        assertThat(caller.roles()).as("a key pair is never an admin").isEmpty();

        String patch = "/api/public/v2/prompts/team-a%2Fsummarizer%20v2/versions/2";
        project.given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{\"newLabels\": [\"staging\"]}")
                .when().patch(patch).then().statusCode(200).body("uri", equalTo(patch)).body("method", equalTo("PATCH"));
        project.given().urlEncodingEnabled(false).when().delete("/api/public/v2/prompts/a%2Fb?version=1")
                .then().statusCode(200).body("method", equalTo("DELETE"));
    }

    @Test
    void anEncodedSlashOutsideTheNameIsRefusedAtTheGateway() {
        LlmTestProjects.Project project = LlmTestProjects.create("prompts-bad");
        project.given().urlEncodingEnabled(false).when().get("/api/public/v2/prompts/a/versions%2F1")
                .then().statusCode(400).body("type", equalTo("urn:flywheel:problem:bad-path"));
        asAdmin().urlEncodingEnabled(false).when().get("/api/v1/prompts/a%2Fb")
                .then().statusCode(400).body("type", equalTo("urn:flywheel:problem:bad-path"));
        project.given().urlEncodingEnabled(false).when().get("/api/public/v2/prompts/..%2F..%2Fkeys")
                .then().statusCode(400);
    }

    @Test
    void theInternalTokenCarriesTheCallersRoles() {
        var admin = asAdmin().contentType(ContentType.JSON).body("{\"version\": 1}")
                .when().put("/api/v1/prompts/team-a/summarizer/labels/production")
                .then().statusCode(200).body("uri", equalTo("/api/v1/prompts/team-a/summarizer/labels/production")).extract();
        assertThat(caller(admin.path("headers.authorization")).roles()).isEqualTo(Set.of("admin"));

        String editor = createKey("prompt-editor-" + java.util.UUID.randomUUID().toString().substring(0, 8), "editor");
        var echoed = withKey(editor).contentType(ContentType.JSON).body("{\"version\": 1}")
                .when().put("/api/v1/prompts/p/labels/production").then().statusCode(200).extract();
        assertThat(caller(echoed.path("headers.authorization")).roles()).isEqualTo(Set.of("editor"));
    }
}
