package io.flywheel.registry.rest;

import io.flywheel.internalauth.TestCallers;
import io.flywheel.registry.TestS3;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.flywheel.registry.Fixtures.createDataset;
import static io.flywheel.registry.Fixtures.sha256Hex;
import static io.flywheel.registry.Fixtures.unique;
import static io.flywheel.registry.Fixtures.uploadCsv;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class DatasetResourceTest {

    private static final String DATASETS = "/api/v1/datasets";
    private static final String VERSIONS = DATASETS + "/{name}/versions";

    private static final String CSV = """
            age,income,plan,churned
            42,1200.5,pro,true
            37,980,basic,false
            29,,pro,true
            """;

    @Test
    void createsAndReadsADataset() {
        String name = unique("churn-train");
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"description\":\"labelled rows\",\"tags\":{\"team\":\"growth\"}}")
                .when().post(DATASETS)
                .then().statusCode(201)
                .header("Location", containsString(DATASETS + "/" + name))
                .body("name", equalTo(name))
                .body("tags.team", equalTo("growth"));
        given().when().get(DATASETS + "/{name}", name).then().statusCode(200).body("description", equalTo("labelled rows"));
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}").when().post(DATASETS).then().statusCode(409);
        given().contentType(ContentType.JSON).body("{\"name\":\"not ok\"}").when().post(DATASETS)
                .then().statusCode(400).body("violations[0].message", containsString("[A-Za-z0-9._-]{1,128}"));
    }

    @Test
    void aCsvVersionIsHashedCountedAndTyped() {
        String name = createDataset("csv");
        String sha = sha256Hex(CSV.getBytes(StandardCharsets.UTF_8));
        given().contentType("text/csv").header("Authorization", TestCallers.bearer("retrain")).body(CSV)
                .when().put(VERSIONS, name)
                .then().statusCode(201)
                .header("Location", containsString(VERSIONS.replace("{name}", name) + "/" + sha))
                .body("dataset", equalTo(name))
                .body("id", equalTo(sha))
                .body("sha256", equalTo(sha))
                .body("format", equalTo("csv"))
                .body("rows", equalTo(3))
                .body("size_bytes", equalTo(CSV.length()))
                .body("schema.name", equalTo(List.of("age", "income", "plan", "churned")))
                .body("schema.type", equalTo(List.of("integer", "number", "string", "boolean")))
                .body("schema[1].nullable", equalTo(true))
                .body("created_by", equalTo("retrain"))
                .body("created_at", notNullValue());
        assertThat(TestS3.blob(sha)).isNotNull();
    }

    @Test
    void identicalContentReturnsTheExistingVersion() {
        String name = createDataset("same");
        String id = uploadCsv(name, CSV);
        given().contentType("text/csv").body(CSV)
                .when().put(VERSIONS, name)
                .then().statusCode(200)
                .body("id", equalTo(id));
        given().when().get(VERSIONS, name).then().statusCode(200).body("items.id", equalTo(List.of(id)));
    }

    @Test
    void aJsonLinesVersionAndItsContent() {
        String name = createDataset("jsonl");
        String jsonl = "{\"age\": 42, \"plan\": \"pro\"}\n{\"age\": 37.5, \"plan\": \"basic\", \"extra\": {\"a\": 1}}\n";
        String id = given().contentType("application/x-ndjson").body(jsonl.getBytes(StandardCharsets.UTF_8))
                .when().put(VERSIONS, name)
                .then().statusCode(201)
                .body("format", equalTo("jsonl"))
                .body("rows", equalTo(2))
                .body("schema.type", equalTo(List.of("number", "string", "string")))
                .body("schema[2].nullable", equalTo(true))
                .extract().path("id");

        Response content = given().when().get(VERSIONS + "/{id}/content", name, id);
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.header("Content-Type")).startsWith("application/x-ndjson");
        assertThat(content.header("ETag")).isEqualTo("\"" + id + "\"");
        assertThat(content.asString()).isEqualTo(jsonl);
        Response head = given().header("Range", "bytes=0-9").when().get(VERSIONS + "/{id}/content", name, id);
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(head.asString()).isEqualTo(jsonl.substring(0, 10));
        given().when().get(VERSIONS + "/{id}", name, id).then().statusCode(200).body("rows", equalTo(2));
    }

    @Test
    void malformedContentIsA400NamingTheFirstBadLineAndStoresNothing() {
        String name = createDataset("malformed");
        String ragged = "a,b,c\n1,2,3\n4,5\n";
        given().contentType("text/csv").body(ragged)
                .when().put(VERSIONS, name)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:malformed-dataset"))
                .body("detail", equalTo("line 3: 2 fields where the header has 3 (a ragged row)"));
        given().contentType("application/x-ndjson").body("{\"a\": 1}\n{\"a\": 2,}\n".getBytes(StandardCharsets.UTF_8))
                .when().put(VERSIONS, name)
                .then().statusCode(400)
                .body("detail", containsString("line 2: not valid JSON"));
        assertThat(TestS3.blob(sha256Hex(ragged.getBytes(StandardCharsets.UTF_8)))).isNull();
        given().when().get(VERSIONS, name).then().body("items", equalTo(List.of()));
    }

    @Test
    void otherMediaTypesAndUnknownDatasetsAreRefused() {
        String name = createDataset("types");
        given().contentType("application/xml").body("<a/>")
                .when().put(VERSIONS, name)
                .then().statusCode(415).contentType("application/problem+json");
        given().contentType("text/csv").body("a\n1\n")
                .when().put(VERSIONS, "never-created")
                .then().statusCode(404).body("detail", equalTo("dataset 'never-created' does not exist"));
        given().when().get(VERSIONS + "/{id}", name, "0".repeat(64)).then().statusCode(404);
    }

    @Test
    void versionsPageNewestFirst() {
        String name = createDataset("paged");
        String first = uploadCsv(name, "a\n1\n");
        String second = uploadCsv(name, "a\n2\n");
        String third = uploadCsv(name, "a\n3\n");
        String cursor = given().queryParam("limit", 2).when().get(VERSIONS, name)
                .then().body("items.id", equalTo(List.of(third, second))).extract().path("next_cursor");
        given().queryParam("limit", 2).queryParam("cursor", cursor).when().get(VERSIONS, name)
                .then().body("items.id", equalTo(List.of(first))).body("next_cursor", nullValue());
    }
}
