package io.flywheel.registry.rest;

import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@TestHTTPEndpoint(ModelResource.class)
class ModelResourceTest {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createsAndReadsAModel() {
        String name = unique("churn");
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"description\":\"Who leaves next month\",\"tags\":{\"team\":\"growth\"}}")
                .when().post()
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/models/" + name))
                .body("name", equalTo(name))
                .body("tags.team", equalTo("growth"))
                .body("archived", equalTo(false));

        given().when().get("{name}", name)
                .then().statusCode(200)
                .body("description", equalTo("Who leaves next month"))
                .body("created_at", notNullValue());
    }

    @Test
    void pagesThroughModelsWithAnOpaqueCursor() {
        String prefix = unique("paged");
        for (String suffix : List.of("a", "b", "c")) {
            given().contentType(ContentType.JSON).body("{\"name\":\"" + prefix + "." + suffix + "\"}")
                    .when().post().then().statusCode(201);
        }
        String cursor = given().queryParam("prefix", prefix).queryParam("limit", 2)
                .when().get()
                .then().statusCode(200)
                .body("items.name", equalTo(List.of(prefix + ".a", prefix + ".b")))
                .body("next_cursor", notNullValue())
                .extract().path("next_cursor");

        given().queryParam("prefix", prefix).queryParam("limit", 2).queryParam("cursor", cursor)
                .when().get()
                .then().statusCode(200)
                .body("items.name", equalTo(List.of(prefix + ".c")))
                .body("next_cursor", nullValue());
    }

    @Test
    void aBadNameIsAProblemThatQuotesThePattern() {
        given().contentType(ContentType.JSON).body("{\"name\":\"no spaces allowed\"}")
                .when().post()
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("name"))
                .body("violations[0].message", containsString("[A-Za-z0-9._-]{1,128}"));
    }

    @Test
    void malformedJsonIsAProblem() {
        given().contentType(ContentType.JSON).body("{\"name\":")
                .when().post()
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:malformed-json"))
                .body("detail", containsString("(line 1, column 9)"));
    }

    @Test
    void aLimitOutOfRangeIsAProblem() {
        given().queryParam("limit", 0)
                .when().get()
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].message", equalTo("limit must be between 1 and 500"));
    }

    @Test
    void aDuplicateNameIsAConflict() {
        String name = unique("dup");
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}").when().post().then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post()
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:already-exists"))
                .body("detail", equalTo("model '" + name + "' already exists"));
    }

    @Test
    void anUnknownModelIsNotFound() {
        given().when().get("{name}", "never-registered")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:not-found"))
                .body("detail", startsWith("model 'never-registered'"));
    }

    @Test
    void aForeignCursorIsAProblem() {
        given().queryParam("cursor", "***")
                .when().get()
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("next_cursor"));
    }

    @Test
    void anEmptyPageHasNoCursor() {
        given().queryParam("prefix", unique("nothing-here"))
                .when().get()
                .then().statusCode(200)
                .body("items", hasSize(0))
                .body("next_cursor", nullValue());
    }

    @Test
    void patchChangesDescriptionMergesTagsAndArchives() {
        String name = unique("patch");
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"tags\":{\"team\":\"growth\",\"tier\":\"1\"}}")
                .when().post().then().statusCode(201);
        given().contentType("application/merge-patch+json")
                .body("{\"description\":\"now with text\",\"tags\":{\"tier\":null,\"owner\":\"ana\"},\"archived\":true}")
                .when().patch("{name}", name)
                .then().statusCode(200)
                .body("description", equalTo("now with text"))
                .body("tags.team", equalTo("growth"))
                .body("tags.owner", equalTo("ana"))
                .body("tags.tier", nullValue())
                .body("archived", equalTo(true));
        given().contentType(ContentType.JSON).body("{\"archived\":false}")
                .when().patch("{name}", name)
                .then().statusCode(200).body("archived", equalTo(false)).body("description", equalTo("now with text"));
        given().contentType(ContentType.JSON).body("{\"name\":\"renamed\"}")
                .when().patch("{name}", name)
                .then().statusCode(400).body("detail", containsString("unknown field 'name'"));
        given().contentType(ContentType.JSON).body("{}").when().patch("{name}", "never-registered").then().statusCode(404);
    }

    @Test
    void listsFilterByTagAndArchivedFlag() {
        String prefix = unique("tagged");
        given().contentType(ContentType.JSON).body("{\"name\":\"" + prefix + ".a\",\"tags\":{\"team\":\"growth\",\"env\":\"prod\"}}")
                .when().post().then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"name\":\"" + prefix + ".b\",\"tags\":{\"team\":\"risk\"}}")
                .when().post().then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"name\":\"" + prefix + ".c\",\"tags\":{\"team\":\"growth\"}}")
                .when().post().then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"archived\":true}").when().patch("{name}", prefix + ".c").then().statusCode(200);

        given().queryParam("prefix", prefix).queryParam("tag", "team:growth")
                .when().get().then().statusCode(200).body("items.name", equalTo(List.of(prefix + ".a", prefix + ".c")));
        given().queryParam("prefix", prefix).queryParam("tag", "team:growth").queryParam("tag", "env:prod")
                .when().get().then().body("items.name", equalTo(List.of(prefix + ".a")));
        given().queryParam("prefix", prefix).queryParam("tag", "env")
                .when().get().then().body("items.name", equalTo(List.of(prefix + ".a")));
        given().queryParam("prefix", prefix).queryParam("archived", false)
                .when().get().then().body("items.name", equalTo(List.of(prefix + ".a", prefix + ".b")));
        given().queryParam("tag", ":x").when().get().then().statusCode(400);
    }

    @Test
    void aTooLargeJsonBodyIsRefusedBeforeItIsRead() {
        String huge = "{\"name\":\"big\",\"description\":\"" + "x".repeat(1_100_000) + "\"}";
        given().contentType(ContentType.JSON).body(huge)
                .when().post()
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:too-large"));
    }
}
