package io.flywheel.registry.rest;

import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flywheel.registry.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class PromptResourceTest {

    private static final String PROMPTS = "/api/v1/prompts";

    private static RequestSpecification admin() {
        return given().header("Authorization", TestCallers.bearer("alice", "admin"));
    }

    private static RequestSpecification editor() {
        return given().header("Authorization", TestCallers.bearer("bob", "editor"));
    }

    private static int create(RequestSpecification as, String project, String body) {
        return as.contentType(ContentType.JSON).queryParam("project", project).body(body)
                .when().post(PROMPTS).then().statusCode(201).extract().path("version");
    }

    @Test
    void versionsAreNumberedImmutableAndFetchedByLabelOrVersion() {
        String project = unique("p");
        String name = "team-a/" + unique("summarizer");
        admin().contentType(ContentType.JSON).queryParam("project", project)
                .body("""
                        {"name": "%s", "prompt": "Summarise {{text}} in {{n}} words", "config": {"model": "gpt-4o", "temperature": 0.2},
                         "labels": ["production"], "tags": ["support"], "commit_message": "first", "experiment_id": "exp-1"}""".formatted(name))
                .when().post(PROMPTS)
                .then().statusCode(201)
                .header("Location", containsString(PROMPTS + "/" + name))
                .header("ETag", notNullValue())
                .body("project", equalTo(project))
                .body("name", equalTo(name))
                .body("version", equalTo(1))
                .body("type", equalTo("text"))
                .body("prompt", equalTo("Summarise {{text}} in {{n}} words"))
                .body("config.model", equalTo("gpt-4o"))
                .body("config.temperature", equalTo(0.2f))
                .body("labels", contains("production", "latest"))
                .body("tags", contains("support"))
                .body("commit_message", equalTo("first"))
                .body("experiment_id", equalTo("exp-1"))
                .body("created_at", notNullValue());
        int second = create(editor(), project, """
                {"name": "%s", "prompt": "Summarise {{text}} briefly", "labels": ["staging"]}""".formatted(name));
        assertThat(second).isEqualTo(2);

        // literal slashes in the path; no label and no version = production
        given().queryParam("project", project).when().get(PROMPTS + "/" + name)
                .then().statusCode(200).body("version", equalTo(1)).body("labels", contains("production"))
                .body("tags", contains("support")); // tags omitted on version 2: inherited
        given().queryParam("project", project).queryParam("label", "latest").when().get(PROMPTS + "/" + name)
                .then().statusCode(200).body("version", equalTo(2)).body("labels", contains("staging", "latest"))
                .body("experiment_id", nullValue()).body("config", equalTo(java.util.Map.of()));
        given().queryParam("project", project).queryParam("version", 1).when().get(PROMPTS + "/" + name)
                .then().statusCode(200).body("prompt", equalTo("Summarise {{text}} in {{n}} words"));
        given().queryParam("project", project).queryParam("label", "nope").when().get(PROMPTS + "/" + name)
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("Prompt not found: '" + name + "' with label 'nope'"));
        given().queryParam("project", "other-" + project).when().get(PROMPTS + "/" + name).then().statusCode(404);
        given().queryParam("project", project).queryParam("label", "production").queryParam("version", 1)
                .when().get(PROMPTS + "/" + name).then().statusCode(400).contentType("application/problem+json");

        given().queryParam("project", project).when().get(PROMPTS + "/" + name + "/versions")
                .then().statusCode(200)
                .body("items.version", contains(2, 1))
                .body("items[0].labels", contains("staging", "latest"));
    }

    @Test
    void theFetchHasAnEtagThatChangesWithTheLabels() {
        String project = unique("p");
        String name = unique("etag");
        create(admin(), project, "{\"name\": \"%s\", \"prompt\": \"v1\", \"labels\": [\"production\"]}".formatted(name));
        String etag = given().queryParam("project", project).when().get(PROMPTS + "/" + name)
                .then().statusCode(200).extract().header("ETag");
        given().queryParam("project", project).header("If-None-Match", etag).when().get(PROMPTS + "/" + name)
                .then().statusCode(304).header("ETag", etag);

        create(editor(), project, "{\"name\": \"%s\", \"prompt\": \"v2\"}".formatted(name));
        // version 1 is no longer latest: same version, another answer, another ETag
        String after = given().queryParam("project", project).header("If-None-Match", etag).when().get(PROMPTS + "/" + name)
                .then().statusCode(200).body("labels", contains("production")).extract().header("ETag");
        assertThat(after).isNotEqualTo(etag);
    }

    @Test
    void aLabelIsOnOneVersionAtATimeAndProductionMovesOnlyForAnAdmin() {
        String project = unique("p");
        String name = unique("labels");
        create(editor(), project, "{\"name\": \"%s\", \"prompt\": \"one\", \"labels\": [\"staging\"]}".formatted(name));
        create(editor(), project, "{\"name\": \"%s\", \"prompt\": \"two\"}".formatted(name));

        editor().contentType(ContentType.JSON).queryParam("project", project).body("{\"version\": 2}")
                .when().put(PROMPTS + "/" + name + "/labels/staging")
                .then().statusCode(200).body("version", equalTo(2)).body("labels", contains("staging", "latest"));
        given().queryParam("project", project).queryParam("version", 1).when().get(PROMPTS + "/" + name)
                .then().body("labels", empty());

        editor().contentType(ContentType.JSON).queryParam("project", project).body("{\"version\": 1}")
                .when().put(PROMPTS + "/" + name + "/labels/production")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:forbidden"))
                .body("detail", containsString("only an admin"));
        editor().contentType(ContentType.JSON).queryParam("project", project)
                .body("{\"name\": \"%s\", \"prompt\": \"three\", \"labels\": [\"production\"]}".formatted(name))
                .when().post(PROMPTS).then().statusCode(403);
        given().queryParam("project", project).queryParam("label", "latest").when().get(PROMPTS + "/" + name)
                .then().body("version", equalTo(2)); // the refused create made no version
        admin().contentType(ContentType.JSON).queryParam("project", project).body("{\"version\": 1}")
                .when().put(PROMPTS + "/" + name + "/labels/production")
                .then().statusCode(200).body("labels", contains("production"));
        // a Flywheel service acting on its own may too (e.g. a promotion after an experiment)
        given().header("Authorization", TestCallers.service("retrain-service")).contentType(ContentType.JSON)
                .queryParam("project", project).body("{\"version\": 2}")
                .when().put(PROMPTS + "/" + name + "/labels/production").then().statusCode(200);

        editor().contentType(ContentType.JSON).queryParam("project", project).body("{\"version\": 1}")
                .when().put(PROMPTS + "/" + name + "/labels/latest")
                .then().statusCode(400).body("detail", containsString("derived"));
        editor().queryParam("project", project).when().delete(PROMPTS + "/" + name + "/labels/staging").then().statusCode(204);
        editor().queryParam("project", project).when().delete(PROMPTS + "/" + name + "/labels/production").then().statusCode(403);
        given().queryParam("project", project).queryParam("label", "staging").when().get(PROMPTS + "/" + name).then().statusCode(404);
    }

    @Test
    void chatPromptsCompileOnTheServer() {
        String project = unique("p");
        String name = "chat/" + unique("support");
        create(editor(), project, """
                {"name": "%s", "type": "chat", "labels": ["staging"], "prompt": [
                  {"role": "system", "content": "You help with {{topic}}."},
                  {"type": "placeholder", "name": "history"},
                  {"role": "user", "content": "{{question}}", "type": "chatmessage"}]}""".formatted(name));
        given().queryParam("project", project).queryParam("label", "staging").when().get(PROMPTS + "/" + name)
                .then().statusCode(200)
                .body("type", equalTo("chat"))
                .body("prompt[1].type", equalTo("placeholder"))
                .body("prompt[2]", equalTo(java.util.Map.of("role", "user", "content", "{{question}}")));
        given().contentType(ContentType.JSON).queryParam("project", project).queryParam("label", "staging")
                .body("""
                        {"variables": {"topic": "billing"},
                         "placeholders": {"history": [{"role": "user", "content": "hi"}]}}""")
                .when().post(PROMPTS + "/" + name + "/compile")
                .then().statusCode(200)
                .body("version", equalTo(1))
                .body("prompt.content", contains("You help with billing.", "hi", "{{question}}"))
                .body("missing_variables", contains("question"))
                .body("missing_placeholders", empty());

        // the type is fixed by the first version
        editor().contentType(ContentType.JSON).queryParam("project", project)
                .body("{\"name\": \"%s\", \"prompt\": \"text now\"}".formatted(name))
                .when().post(PROMPTS).then().statusCode(400).body("detail", containsString("is a chat prompt"));
    }

    @Test
    void badInputIsAProblemThatSaysWhatToFix() {
        editor().contentType(ContentType.JSON).body("{\"name\": \"a|b\", \"prompt\": \"x\"}")
                .when().post(PROMPTS).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'|'"));
        editor().contentType(ContentType.JSON).body("{\"name\": \"x/versions\", \"prompt\": \"x\"}")
                .when().post(PROMPTS).then().statusCode(400).body("detail", containsString("versions"));
        editor().contentType(ContentType.JSON).body("{\"name\": \"ok\", \"prompt\": \"x\", \"labels\": [\"Prod\"]}")
                .when().post(PROMPTS).then().statusCode(400).body("detail", containsString("[a-z0-9_\\-.]+"));
        editor().contentType(ContentType.JSON).body("{\"name\": \"ok\", \"prompt\": [1]}")
                .when().post(PROMPTS).then().statusCode(400).body("detail", containsString("type 'chat'"));
        editor().contentType(ContentType.JSON).body("{\"name\": \"ok\"}")
                .when().post(PROMPTS).then().statusCode(400).contentType("application/problem+json");
        editor().contentType(ContentType.JSON).body("{\"name\": \"ok\", \"prompt\": \"x\", \"colour\": 1}")
                .when().post(PROMPTS).then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aKeyPairsCallerIsHeldToItsProject() {
        String project = unique("lf");
        String name = unique("scoped");
        given().header("Authorization", TestCallers.bearer("llm-project:" + project)).contentType(ContentType.JSON)
                .body("{\"name\": \"%s\", \"prompt\": \"x\", \"labels\": [\"staging\"]}".formatted(name))
                .when().post(PROMPTS).then().statusCode(201).body("project", equalTo(project));
        given().header("Authorization", TestCallers.bearer("llm-project:" + project)).queryParam("project", "default")
                .when().get(PROMPTS + "/" + name).then().statusCode(403);
    }

    @Test
    void listsArePagedInNameOrderAndNarrowedByFolder() {
        String project = unique("p");
        for (String name : List.of("b/one", "a/two", "a/one", "c")) {
            create(editor(), project, "{\"name\": \"%s\", \"prompt\": \"x\", \"tags\": [\"t-%s\"]}".formatted(name, name.length()));
        }
        var first = given().queryParam("project", project).queryParam("limit", 2).when().get(PROMPTS)
                .then().statusCode(200).body("items.name", contains("a/one", "a/two")).body("next_cursor", notNullValue())
                .body("items[0].versions", contains(1)).body("items[0].labels", contains("latest"))
                .extract().<String>path("next_cursor");
        given().queryParam("project", project).queryParam("limit", 2).queryParam("cursor", first).when().get(PROMPTS)
                .then().body("items.name", contains("b/one", "c")).body("next_cursor", nullValue());
        given().queryParam("project", project).queryParam("prefix", "a/").when().get(PROMPTS)
                .then().body("items.name", contains("a/one", "a/two"));
        given().queryParam("project", project).queryParam("tag", "t-1").when().get(PROMPTS)
                .then().body("items.name", contains("c"));
        given().queryParam("project", project).queryParam("label", "production").when().get(PROMPTS)
                .then().body("items", empty()).body("items", not(nullValue()));
    }
}
