package io.flywheel.monitor.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** POST /api/v1/drift/compare: scipy's numbers from golden.json through HTTP, Evidently's default choice, and 400s that name the feature. */
@QuarkusTest
class DriftResourceTest {

    @org.junit.jupiter.api.BeforeAll
    static void doubles() {
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().jsonConfig(
                io.restassured.config.JsonConfig.jsonConfig().numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private static final String PATH = "/api/v1/drift/compare";

    private static JsonNode golden(String name) throws Exception {
        try (InputStream in = DriftResourceTest.class.getResourceAsStream("/drift/golden.json")) {
            for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
                if (c.get("name").asText().equals(name)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void defaultTestsAreEvidentlysChoiceAndMatchScipy() throws Exception {
        JsonNode numeric = golden("shifted-normal-small");   // 80 reference rows: ks
        JsonNode categorical = golden("cat-shift");          // 1000 reference rows: chi2
        Map<String, Object> body = Map.of(
                "reference", Map.of("age", numeric.get("reference"), "plan", categorical.get("reference")),
                "current", Map.of("age", numeric.get("current"), "plan", categorical.get("current")));
        given().contentType(ContentType.JSON).body(body)
                .when().post(PATH)
                .then().statusCode(200)
                .body("features.age.kind", equalTo("numeric"))
                .body("features.age.tests.ks.statistic", closeTo(numeric.at("/expected/ks_statistic").asDouble(), 1e-9))
                .body("features.age.tests.ks.pvalue", closeTo(numeric.at("/expected/ks_pvalue").asDouble(), 1e-4))
                .body("features.age.tests.ks.threshold", equalTo(0.05))
                .body("features.age.tests.ks.drift", equalTo(true))
                .body("features.plan.kind", equalTo("categorical"))
                .body("features.plan.tests.chi2.statistic", closeTo(categorical.at("/expected/chi2_statistic").asDouble(), 1e-6))
                .body("features.plan.tests.chi2.pvalue", closeTo(categorical.at("/expected/chi2_pvalue").asDouble(), 1e-4))
                .body("share_drifted", equalTo(1.0))
                .body("dataset_drift", equalTo(true));
    }

    @Test
    void namedTestsAndThresholdsOverrideTheDefault() throws Exception {
        JsonNode same = golden("same-normal-large");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reference", Map.of("x", same.get("reference")));
        body.put("current", Map.of("x", same.get("current")));
        body.put("tests", Map.of("x", List.of("psi", "wasserstein_norm", "js")));
        body.put("thresholds", Map.of("x", Map.of("psi", 0.0)));
        given().contentType(ContentType.JSON).body(body)
                .when().post(PATH)
                .then().statusCode(200)
                .body("features.x.tests.psi.statistic", closeTo(same.at("/expected/psi").asDouble(), 1e-9))
                .body("features.x.tests.psi.drift", equalTo(true)) // threshold 0: any PSI drifts
                .body("features.x.tests.psi", not(hasKey("pvalue")))
                .body("features.x.tests.wasserstein_norm.statistic", closeTo(same.at("/expected/wasserstein_norm").asDouble(), 1e-9))
                .body("features.x.tests.js.statistic", closeTo(same.at("/expected/js").asDouble(), 1e-9))
                .body("features.x.tests.js.drift", equalTo(false))
                .body("dataset_drift", equalTo(true));
    }

    @Test
    void badInputIsA400ThatNamesTheFeature() {
        given().contentType(ContentType.JSON).body("{\"reference\": {\"a\": []}, \"current\": {\"a\": [1]}}")
                .when().post(PATH)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:invalid-request"))
                .body("detail", equalTo("feature 'a': the reference sample is empty"));
        given().contentType(ContentType.JSON).body("{\"reference\": {\"a\": [1, \"x\"]}, \"current\": {\"a\": [1]}}")
                .when().post(PATH)
                .then().statusCode(400)
                .body("detail", equalTo("feature 'a': mixed types: numbers and strings/booleans in one feature"));
        given().contentType(ContentType.JSON).body("{\"reference\": {\"a\": [1, 2]}, \"current\": {\"a\": [1]}, \"tests\": {\"a\": [\"magic\"]}}")
                .when().post(PATH)
                .then().statusCode(400)
                .body("detail", containsString("feature 'a': unknown drift test 'magic'"));
        given().contentType(ContentType.JSON).body("{\"reference\": {\"a\": [1, 2]}, \"current\": {\"b\": [1]}}")
                .when().post(PATH)
                .then().statusCode(400)
                .body("detail", equalTo("feature 'a': has a reference sample but no current sample"));
        given().contentType(ContentType.JSON).body("{\"reference\": {\"a\": [\"x\", \"y\"]}, \"current\": {\"a\": [\"x\"]}, \"tests\": {\"a\": [\"ks\"]}}")
                .when().post(PATH)
                .then().statusCode(400)
                .body("detail", equalTo("feature 'a': test 'ks' needs a numeric feature"));
    }

    @Test
    void malformedJsonSaysWhereItBroke() {
        given().contentType(ContentType.JSON).body("{\"reference\": {\"a\": [1, 2,}\n}")
                .when().post(PATH)
                .then().log().ifValidationFails().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:malformed-json"))
                .body("detail", containsString("(line 1, column"));
        given().contentType(ContentType.JSON).body("{\"reference\": {\"a\": 5}}")
                .when().post(PATH)
                .then().log().ifValidationFails().statusCode(400)
                .body("detail", containsString("reference.a"));
    }
}
