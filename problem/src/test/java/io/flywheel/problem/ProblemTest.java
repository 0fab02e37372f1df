package io.flywheel.problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class ProblemTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rendersTheMembersOfRfc9457AndItsExtensions() throws Exception {
        JsonNode body = JSON.readTree(Problem.of(404, "not-found", "model 'm' does not exist")
                .at("/api/v1/models/m").with("model", "m").toJson());

        assertThat(body.get("type").asText()).isEqualTo("urn:flywheel:problem:not-found");
        assertThat(body.get("title").asText()).isEqualTo("Not Found");
        assertThat(body.get("status").asInt()).isEqualTo(404);
        assertThat(body.get("detail").asText()).isEqualTo("model 'm' does not exist");
        assertThat(body.get("instance").asText()).isEqualTo("/api/v1/models/m");
        assertThat(body.get("model").asText()).isEqualTo("m");
    }

    @Test
    void anInstanceIsAValidUriReferenceWhateverPathTheClientSent() {
        for (String raw : List.of("/api/v1/models/a b", "/x/%", "/x/%zz", "/x/{name}", "/x/\"quoted\"", "/x/ünïcødé",
                "/x/<script>", "/x/a|b^c`d", "/x/%41ok", "/x\\y")) {
            String instance = Instances.of(raw);
            assertThatCode(() -> URI.create(instance)).as(raw).doesNotThrowAnyException();
        }
        assertThat(Instances.of("/models/a b")).isEqualTo("/models/a%20b");
        assertThat(Instances.of("/models/%41")).isEqualTo("/models/%41");
        assertThat(Instances.of("/models/100%")).isEqualTo("/models/100%25");
        assertThat(Instances.of("/m/é")).isEqualTo("/m/%C3%A9");
    }

    @Test
    void aVeryLongPathIsCut() {
        String instance = Instances.of("/x/" + "a".repeat(70_000));
        assertThat(instance).hasSizeLessThan(Instances.MAX_LENGTH + 10).endsWith("...");
        assertThatCode(() -> URI.create(instance)).doesNotThrowAnyException();
    }

    @Test
    void every503SaysWhenToRetry() {
        assertThat(Problem.of(503, "database-unavailable", "down").retryAfterSeconds()).isEqualTo(5);
        assertThat(Problem.of(503, "busy", "busy").retryAfter(1).retryAfterSeconds()).isEqualTo(1);
        assertThat(Problem.of(400, "bad-request", "no").retryAfterSeconds()).isNull();
        assertThat(Problem.of(503, "x", "y").toResponse().getHeaderString("Retry-After")).isEqualTo("5");
    }

    @Test
    void anExtensionThatCannotBeRenderedLeavesTheProblemStanding() throws Exception {
        Object unrenderable = new Object() {
            public Object getSelf() {
                throw new IllegalStateException("no");
            }
        };
        JsonNode body = JSON.readTree(Problem.of(400, "invalid-request", "bad").with("odd", unrenderable).toJson());
        assertThat(body.get("status").asInt()).isEqualTo(400);
        assertThat(body.has("odd")).isFalse();
    }

    @Test
    void statusesWithoutATypeOfTheirOwnGetTheUsualOne() {
        assertThat(Problem.ofStatus(405, "no").typeUri()).isEqualTo("urn:flywheel:problem:method-not-allowed");
        assertThat(Problem.ofStatus(414, "no").typeUri()).isEqualTo("urn:flywheel:problem:uri-too-long");
        assertThat(Problem.ofStatus(431, "no").typeUri()).isEqualTo("urn:flywheel:problem:headers-too-large");
        assertThat(Problem.ofStatus(418, "no").typeUri()).isEqualTo("urn:flywheel:problem:bad-request");
        assertThat(Problem.of(400, "x", "y").with("violations", List.of(Map.of("field", "name"))).extensions()).containsKey("violations");
    }
}
