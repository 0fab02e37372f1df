package io.flywheel.registry.rest;

import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static io.flywheel.registry.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Langfuse's prompt routes as its SDKs call them: Basic key pair at the gateway, here the project's internal token. */
@QuarkusTest
class LangfusePromptResourceTest {

    private static final String PROMPTS = "/api/public/v2/prompts";

    @io.quarkus.test.common.http.TestHTTPResource("/")
    URI root;

    private static RequestSpecification project(String project) {
        return given().header("Authorization", TestCallers.bearer("llm-project:" + project));
    }

    @Test
    void createGetPatchAsTheSdksDo() {
        String p = unique("lf");
        project(p).contentType(ContentType.JSON)
                .body("""
                        {"name": "flywheel-chat", "type": "chat", "labels": ["staging"], "config": {"temperature": 0},
                         "prompt": [{"role": "system", "content": "You are {{topic}}.", "type": "chatmessage"},
                                    {"type": "placeholder", "name": "history"},
                                    {"role": "user", "content": "{{question}}", "type": "chatmessage"}]}""")
                .when().post(PROMPTS)
                .then().statusCode(201)
                .body("name", equalTo("flywheel-chat"))
                .body("version", equalTo(1))
                .body("type", equalTo("chat"))
                .body("prompt[0].type", equalTo("chatmessage"))
                .body("prompt[1].type", equalTo("placeholder"))
                .body("labels", contains("staging", "latest"))
                .body("tags", org.hamcrest.Matchers.empty())
                .body("config.temperature", equalTo(0))
                .body("commitMessage", nullValue())
                .body("projectId", equalTo(p))
                .body("id", notNullValue());
        // no label: production, which nobody set
        project(p).when().get(PROMPTS + "/flywheel-chat")
                .then().statusCode(404).contentType(ContentType.JSON)
                .body("message", equalTo("Prompt not found: 'flywheel-chat' with label 'production'"))
                .body("error", equalTo("LangfuseNotFoundError"));
        project(p).queryParam("label", "staging").when().get(PROMPTS + "/flywheel-chat")
                .then().statusCode(200).body("version", equalTo(1)).body("isActive", equalTo(false));
        project(p).queryParam("label", "staging").queryParam("version", "1").when().get(PROMPTS + "/flywheel-chat")
                .then().statusCode(400).body("message", equalTo("Cannot specify both version and label"))
                .body("error", equalTo("InvalidRequestError"));

        project(p).contentType(ContentType.JSON).body("{\"name\": \"flywheel-chat\", \"prompt\": \"now text\"}")
                .when().post(PROMPTS).then().statusCode(400).body("message", containsString("is a chat prompt"));
        project(p).contentType(ContentType.JSON).body("{\"name\": \"flywheel-chat\", \"version\": 1, \"newLabels\": [\"canary\"]}")
                .when().patch(PROMPTS + "/flywheel-chat/versions/1")
                .then().statusCode(200).body("labels", containsInAnyOrder("staging", "canary", "latest"));
        project(p).contentType(ContentType.JSON).body("{\"newLabels\": [\"latest\"]}")
                .when().patch(PROMPTS + "/flywheel-chat/versions/1").then().statusCode(400);
        // a key pair is never an admin: production is protected
        project(p).contentType(ContentType.JSON).body("{\"newLabels\": [\"production\"]}")
                .when().patch(PROMPTS + "/flywheel-chat/versions/1")
                .then().statusCode(403).body("error", equalTo("AccessDeniedError")).body("message", containsString("protected"));
        project(p).contentType(ContentType.JSON).body("{\"newLabels\": [\"x\"]}")
                .when().patch(PROMPTS + "/flywheel-chat/versions/9").then().statusCode(404);
    }

    @Test
    void aFolderNameArrivesWithAnEncodedSlash() throws Exception {
        String p = unique("lf");
        String name = "team-a/summarizer v2";
        project(p).contentType(ContentType.JSON)
                .body("{\"name\": \"%s\", \"prompt\": \"Sum {{x}}\", \"labels\": [\"staging\"], \"tags\": [\"t\"]}".formatted(name))
                .when().post(PROMPTS).then().statusCode(201).body("name", equalTo(name));
        // as the SDKs send it (encodeURIComponent): the raw request, so no client re-encodes the '%'
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(encoded).isEqualTo("team-a%2Fsummarizer%20v2");
        HttpResponse<String> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(root.resolve(PROMPTS + "/" + encoded + "?label=staging"))
                .header("Authorization", TestCallers.bearer("llm-project:" + p)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        assertThat(got.body()).contains("\"name\":\"team-a/summarizer v2\"").contains("\"version\":1");

        HttpResponse<String> patched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(root.resolve(PROMPTS + "/" + encoded + "/versions/1"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"newLabels\": [\"canary\"]}"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestCallers.bearer("llm-project:" + p)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(patched.body()).contains("\"canary\"");

        project(p).queryParam("name", name).when().get(PROMPTS)
                .then().statusCode(200)
                .body("data[0].name", equalTo(name))
                .body("data[0].versions", contains(1))
                .body("data[0].tags", contains("t"))
                .body("meta.totalItems", equalTo(1))
                .body("pagination.totalPages", equalTo(1));

        HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(root.resolve(PROMPTS + "/" + encoded))
                .DELETE().header("Authorization", TestCallers.bearer("llm-project:" + p)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        project(p).queryParam("label", "latest").when().get(PROMPTS + "/" + "x").then().statusCode(404);
        project(p).when().get(PROMPTS).then().body("meta.totalItems", equalTo(0));
    }

    @Test
    void listsPageFromOneWithMetaAndTheNewestConfig() {
        String p = unique("lf");
        for (String name : new String[]{"c", "a", "b"}) {
            project(p).contentType(ContentType.JSON).body("{\"name\": \"%s\", \"prompt\": \"x\", \"config\": {\"model\": \"m1\"}}".formatted(name))
                    .when().post(PROMPTS).then().statusCode(201);
        }
        project(p).contentType(ContentType.JSON).body("{\"name\": \"a\", \"prompt\": \"y\", \"config\": {\"model\": \"m2\"}}")
                .when().post(PROMPTS).then().statusCode(201).body("version", equalTo(2));
        project(p).queryParam("limit", "2").queryParam("page", "1").when().get(PROMPTS)
                .then().statusCode(200)
                .body("data.name", contains("a", "b"))
                .body("data[0].versions", contains(2, 1))
                .body("data[0].lastConfig.model", equalTo("m2"))
                .body("data[0].labels", contains("latest"))
                .body("meta.page", equalTo(1)).body("meta.limit", equalTo(2))
                .body("meta.totalItems", equalTo(3)).body("meta.totalPages", equalTo(2));
        project(p).queryParam("limit", "2").queryParam("page", "2").when().get(PROMPTS)
                .then().body("data.name", contains("c"));
        project(p).queryParam("limit", "101").when().get(PROMPTS).then().statusCode(400).body("error", equalTo("InvalidRequestError"));
        // another project sees none of them
        project(unique("lf")).when().get(PROMPTS).then().body("meta.totalItems", equalTo(0));
    }

    @Test
    void deleteByVersionKeepsTheOthersAndLatestFollows() {
        String p = unique("lf");
        for (int i = 0; i < 2; i++) {
            project(p).contentType(ContentType.JSON).body("{\"name\": \"d\", \"prompt\": \"v\"}").when().post(PROMPTS).then().statusCode(201);
        }
        project(p).queryParam("version", "2").when().delete(PROMPTS + "/d").then().statusCode(204);
        project(p).queryParam("label", "latest").when().get(PROMPTS + "/d").then().statusCode(200).body("version", equalTo(1));
        project(p).queryParam("version", "2").when().delete(PROMPTS + "/d").then().statusCode(404).body("error", equalTo("LangfuseNotFoundError"));
    }

    @Test
    void aBadBodyIsAnsweredInLangfusesShape() {
        String p = unique("lf");
        project(p).contentType(ContentType.JSON).body("{\"name\": ").when().post(PROMPTS)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("InvalidRequestError")).body("message", containsString("Invalid request data"));
        project(p).contentType(ContentType.JSON).body("{\"name\": \"x\", \"prompt\": 3}").when().post(PROMPTS)
                .then().statusCode(400).body("error", equalTo("InvalidRequestError"));
        project(p).contentType(ContentType.JSON).body("{\"name\": \"x\", \"prompt\": \"y\", \"labels\": \"production\"}").when().post(PROMPTS)
                .then().statusCode(400).body("error", equalTo("InvalidRequestError"));
        project(p).contentType(ContentType.JSON).body("{\"newLabels\": 1}").when().patch(PROMPTS + "/x/versions/1")
                .then().statusCode(400).body("error", equalTo("InvalidRequestError"));
        project(p).contentType(ContentType.JSON).body("").when().post(PROMPTS)
                .then().statusCode(400).body("error", equalTo("InvalidRequestError"));
    }

    @Test
    void flywheelCallersUseTheirOwnRoutes() {
        given().when().get(PROMPTS).then().statusCode(403).body("error", equalTo("AccessDeniedError"));
    }
}
