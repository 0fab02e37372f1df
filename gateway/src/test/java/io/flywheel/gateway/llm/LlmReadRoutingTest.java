package io.flywheel.gateway.llm;

import io.flywheel.gateway.routing.EchoUpstream;
import io.flywheel.internalauth.InternalToken;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.flywheel.gateway.TestAuth.createKey;
import static io.flywheel.gateway.TestAuth.withKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Langfuse's read routes and /api/v1/llm go to the monitor (here an echo server in its place), with an
 * internal token whose sub is {@code llm-project:<id>} for a key pair, so the monitor can scope the
 * reads; the pair itself never leaves the gateway. /api/v1/llm/projects stays the gateway's.
 */
@QuarkusTest
@QuarkusTestResource(value = LlmReadRoutingTest.EchoMonitor.class, restrictToAnnotatedClass = true)
class LlmReadRoutingTest {

    /** The echo upstream, standing in for the monitor. */
    public static class EchoMonitor extends EchoUpstream {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.put("gateway.services.monitor-service.url", config.get("gateway.services.echo.url"));
            return config;
        }
    }

    private static InternalToken.Caller caller(String authorization) {
        InternalToken tokens = new InternalToken(ConfigProvider.getConfig().getValue("flywheel.internal-auth.secret", String.class));
        assertThat(authorization).startsWith("Bearer ");
        return tokens.verify(authorization.substring(7)).orElseThrow();
    }

    @Test
    void aKeyPairReadsLangfusesRoutesAsItsProject() {
        LlmTestProjects.Project project = LlmTestProjects.create("reads");
        for (String path : new String[]{"/api/public/traces?limit=2", "/api/public/traces/t1", "/api/public/observations",
                "/api/public/observations/o1", "/api/public/sessions", "/api/public/sessions/s1", "/api/public/scores",
                "/api/public/v2/scores"}) {
            var echoed = project.given().urlEncodingEnabled(false).when().get(path)
                    .then().statusCode(200)
                    .body("uri", equalTo(path))
                    .body("headers.x-api-key", nullValue())
                    .extract();
            assertThat(caller(echoed.path("headers.authorization")).principal()).isEqualTo("llm-project:" + project.id());
        }
    }

    @Test
    void viewersReadTheLlmApiAndProjectsStayAtTheGateway() {
        String viewer = createKey("llm-reader-" + java.util.UUID.randomUUID().toString().substring(0, 8), "viewer");
        var echoed = withKey(viewer).when().get("/api/v1/llm/traces?project=p1")
                .then().statusCode(200).body("uri", equalTo("/api/v1/llm/traces?project=p1")).extract();
        assertThat(caller(echoed.path("headers.authorization")).principal()).startsWith("llm-reader-");
        // not echoed: the gateway answers its own route
        asAdmin().when().get("/api/v1/llm/projects").then().statusCode(200).body("uri", nullValue());
    }
}
