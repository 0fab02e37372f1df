package io.flywheel.registry.rest;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import static io.flywheel.registry.Fixtures.createModel;
import static io.flywheel.registry.Fixtures.randomBytes;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Versions served elsewhere: an endpoint instead of an artifact, ready on registration, never changed. */
@QuarkusTest
class ExternalVersionTest {

    private static final String VERSIONS = "/api/v1/models/{name}/versions";
    private static final String VERSION = VERSIONS + "/{v}";
    private static final String ARTIFACT = VERSION + "/artifact";

    @Inject
    AgroalDataSource database;

    private static int register(String model, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(VERSIONS, model)
                .then().statusCode(201).extract().path("version");
    }

    private static String external(String endpoint) {
        return "{\"format\": \"external\", \"endpoint\": " + endpoint + "}";
    }

    @Test
    void anExternalVersionIsReadyOnRegistrationWithItsEndpoint() {
        String model = createModel("external");
        given().contentType(ContentType.JSON).body("""
                        {"format": "external", "framework": "triton", "description": "served by the ML platform",
                         "signature": {"inputs": [{"name": "age", "type": "number"}], "output": {"name": "churn", "type": "number"}},
                         "endpoint": {"url": "https://models.example.com/v2/models/churn",
                                      "auth": {"header": "Authorization", "secret_ref": "churn-token"}}}""")
                .when().post(VERSIONS, model)
                .then().statusCode(201)
                .body("status", equalTo("ready"))
                .body("format", equalTo("external"))
                .body("finalised_at", notNullValue())
                .body("artifact", nullValue())
                .body("onnx", nullValue())
                .body("endpoint.url", equalTo("https://models.example.com/v2/models/churn"))
                .body("endpoint.auth.header", equalTo("Authorization"))
                .body("endpoint.auth.secret_ref", equalTo("churn-token"));

        given().when().get(VERSION, model, 1).then().statusCode(200)
                .body("endpoint.auth.secret_ref", equalTo("churn-token"));
        // ready: an alias may point at it, and it is the latest
        given().contentType(ContentType.JSON).body("{\"version\": 1}").when().put("/api/v1/models/{name}/aliases/champion", model)
                .then().statusCode(200);
        given().when().get("/api/v1/models/{name}/aliases/latest", model).then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void authIsOptional() {
        String model = createModel("external-open");
        int version = register(model, external("{\"url\": \"http://10.0.0.7:8000/v2/models/churn/versions/3\"}"));

        given().when().get(VERSION, model, version).then().body("endpoint.auth", nullValue())
                .body("endpoint.url", equalTo("http://10.0.0.7:8000/v2/models/churn/versions/3"));
    }

    @Test
    void itTakesNoArtifactAndHasNoneToGive() {
        String model = createModel("external-artifact");
        int version = register(model, external("{\"url\": \"https://models.example.com/v2/models/a\"}"));

        given().contentType("application/octet-stream").body(randomBytes(100)).when().put(ARTIFACT, model, version)
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:version-finalised"))
                .body("detail", containsString("is external: it is served at its endpoint and takes no artifact"));
        given().when().get(ARTIFACT, model, version).then().statusCode(404)
                .body("detail", containsString("is external: it has no artifact"));
        given().when().get(ARTIFACT + "/url", model, version).then().statusCode(404);
        given().when().get(VERSION, model, version).then().body("artifact", nullValue()).body("status", equalTo("ready"));
    }

    @Test
    void itsEndpointNeverChanges() throws SQLException {
        String model = createModel("external-frozen");
        int version = register(model, external("{\"url\": \"https://models.example.com/v2/models/a\"}"));

        // the API has no way to change it: PATCH refuses unknown fields, and the version is finalised
        given().contentType(ContentType.JSON).body("{\"endpoint\": {\"url\": \"https://evil.example.com/v2\"}}")
                .when().patch(VERSION, model, version).then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"format\": \"onnx\"}")
                .when().patch(VERSION, model, version).then().statusCode(409);
        given().contentType(ContentType.JSON).body("{\"description\": \"still editable\"}")
                .when().patch(VERSION, model, version).then().statusCode(200).body("description", equalTo("still editable"));

        // nor does the database let any code path do it
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update model_version set endpoint = '{\"url\": \"https://evil.example.com/v2\"}'::jsonb where model = ? and version = ?")) {
            update.setString(1, model);
            update.setInt(2, version);
            assertThatThrownBy(update::executeUpdate).isInstanceOf(SQLException.class).hasMessageContaining("endpoint never changes");
        }
        given().when().get(VERSION, model, version).then().body("endpoint.url", equalTo("https://models.example.com/v2/models/a"));
    }

    @Test
    void anEndpointOnADraftIsRefusedByTheDatabaseToo() throws SQLException {
        String model = createModel("external-db");
        int draft = given().contentType(ContentType.JSON).body("{}").when().post(VERSIONS, model).then().statusCode(201)
                .extract().path("version");
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update model_version set endpoint = '{\"url\": \"https://x.example.com\"}'::jsonb where model = ? and version = ?")) {
            update.setString(1, model);
            update.setInt(2, draft);
            assertThatThrownBy(update::executeUpdate).isInstanceOf(SQLException.class).hasMessageContaining("endpoint never changes");
        }
    }

    @Test
    void externalNeedsAnEndpointAndOnlyExternalTakesOne() {
        String model = createModel("external-rules");
        given().contentType(ContentType.JSON).body("{\"format\": \"external\"}").when().post(VERSIONS, model)
                .then().statusCode(400).body("detail", containsString("format external needs an endpoint"));
        for (String format : new String[] {"\"onnx\"", "\"flywheel-linear\"", "null"}) {
            given().contentType(ContentType.JSON)
                    .body("{\"format\": " + format + ", \"endpoint\": {\"url\": \"https://models.example.com/v2/models/a\"}}")
                    .when().post(VERSIONS, model)
                    .then().statusCode(400).body("detail", containsString("endpoint is only for format external"));
        }
        given().when().get(VERSIONS, model).then().body("items", org.hamcrest.Matchers.empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ftp://models.example.com/v2/models/a",
            "file:///etc/passwd",
            "https://user:secret@models.example.com/v2/models/a",
            "https://@models.example.com/v2",
            "https:///v2/models/a",
            "https://models.example.com/v2/models/a?token=x",
            "https://models.example.com/v2/models/a#frag",
            "https://models example.com/v2",
            "models.example.com/v2/models/a",
            "javascript:alert(1)",
            ""})
    void badUrlsAreRefused(String url) {
        String model = createModel("external-url");
        given().contentType(ContentType.JSON).body(external("{\"url\": \"" + url + "\"}")).when().post(VERSIONS, model)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body(containsString("endpoint.url"));
    }

    @Test
    void urlsAreLimitedInLength() {
        String model = createModel("external-long");
        String url = "https://models.example.com/" + "a".repeat(2100);
        given().contentType(ContentType.JSON).body(external("{\"url\": \"" + url + "\"}")).when().post(VERSIONS, model)
                .then().statusCode(400).body(containsString("endpoint.url is limited to 2048 characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"header\": \"Bad Header\", \"secret_ref\": \"t\"}",
            "{\"header\": \"X-Token:\", \"secret_ref\": \"t\"}",
            "{\"header\": \"Host\", \"secret_ref\": \"t\"}",
            "{\"header\": \"content-length\", \"secret_ref\": \"t\"}",
            "{\"header\": \"Authorization\", \"secret_ref\": \"../../etc/passwd\"}",
            "{\"header\": \"Authorization\", \"secret_ref\": \"..\"}",
            "{\"header\": \"Authorization\", \"secret_ref\": \"a/b\"}",
            "{\"header\": \"Authorization\", \"secret_ref\": \"\"}",
            "{\"header\": \"Authorization\"}",
            "{\"secret_ref\": \"t\"}"})
    void badAuthIsRefused(String auth) {
        String model = createModel("external-auth");
        given().contentType(ContentType.JSON)
                .body(external("{\"url\": \"https://models.example.com/v2/models/a\", \"auth\": " + auth + "}"))
                .when().post(VERSIONS, model)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body(containsString("endpoint.auth."));
    }

    @Test
    void aSecretRefWithALeadingDotIsRefused() {
        String model = createModel("external-dot");
        given().contentType(ContentType.JSON)
                .body(external("{\"url\": \"https://m.example.com/v2\", \"auth\": {\"header\": \"X-Key\", \"secret_ref\": \"..\"}}"))
                .when().post(VERSIONS, model)
                .then().statusCode(400).contentType("application/problem+json").body(containsString("no leading dot"));
    }

    @Test
    void aLongSecretRefIsRefused() {
        String model = createModel("external-ref");
        given().contentType(ContentType.JSON)
                .body(external("{\"url\": \"https://m.example.com/v2\", \"auth\": {\"header\": \"X-Key\", \"secret_ref\": \""
                        + "s".repeat(129) + "\"}}"))
                .when().post(VERSIONS, model)
                .then().statusCode(400).body(containsString("secret_ref must match [A-Za-z0-9_-][A-Za-z0-9._-]{0,127}"));
        assertThat(given().contentType(ContentType.JSON)
                .body(external("{\"url\": \"https://m.example.com/v2\", \"auth\": {\"header\": \"X-Key\", \"secret_ref\": \""
                        + "s".repeat(128) + "\"}}"))
                .when().post(VERSIONS, model).statusCode()).isEqualTo(201);
    }
}
