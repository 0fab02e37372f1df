package io.flywheel.retrain.rest;

import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@TestHTTPEndpoint(PolicyResource.class)
class PolicyResourceTest {

    private static final String MINIMAL = "{\"trainer\": {\"params\": {\"task\": \"binary-classification\", \"target\": \"churned\"}}}";

    private static String model() {
        return "policy-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void putCreatesThenReplacesAndGetShowsEveryDefault() {
        String model = model();
        given().contentType("application/json").header("Authorization", TestCallers.bearer("carol")).body(MINIMAL).put(model)
                .then().statusCode(201)
                .header("ETag", "\"1\"")
                .header("Location", containsString("/api/v1/retrain/policies/" + model))
                .body("model", equalTo(model))
                .body("enabled", equalTo(true))
                .body("triggers", org.hamcrest.Matchers.contains("drift", "quality", "schedule", "manual", "code"))
                .body("cooldown", equalTo("PT1H"))
                .body("min_new_rows", equalTo(0))
                .body("max_concurrent", equalTo(1))
                .body("daily_budget", equalTo(6))
                .body("data.window", equalTo("PT720H"))
                .body("data.dataset", equalTo(model + "-retrain"))
                .body("trainer.name", equalTo("flywheel-linear"))
                .body("trainer.runner", equalTo("in-process"))
                .body("evaluation.metric", equalTo("roc_auc"))
                .body("evaluation.register_rejected", equalTo(true))
                .body("promotion.environment", equalTo("staging"))
                .body("revision", equalTo(1))
                .body("updated_by", equalTo("carol"));

        given().contentType("application/json").header("If-Match", "\"1\"")
                .body("{\"cooldown\": \"PT6H\", \"min_new_rows\": 500, \"trainer\": {\"runner\": \"local-process\", "
                        + "\"params\": {\"task\": \"regression\", \"target\": \"price\", \"l2\": 0.5}}}")
                .put(model).then().statusCode(200).header("ETag", "\"2\"")
                .body("cooldown", equalTo("PT6H"))
                .body("evaluation.metric", equalTo("rmse"))
                .body("trainer.params.l2", equalTo(0.5f));

        given().get(model).then().statusCode(200).header("ETag", "\"2\"").body("min_new_rows", equalTo(500));
    }

    @Test
    void aStaleIfMatchIsRefused() {
        String model = model();
        given().contentType("application/json").body(MINIMAL).put(model).then().statusCode(201);
        given().contentType("application/json").header("If-Match", "\"7\"").body(MINIMAL).put(model)
                .then().statusCode(412)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:precondition-failed"));
    }

    @Test
    void anUnknownPolicyIsAProblem() {
        given().get("nobody-" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:not-found"))
                .body("detail", startsWith("retrain policy of model 'nobody-"));
    }

    @Test
    void anInvalidPolicySaysWhatToFix() {
        given().contentType("application/json")
                .body("{\"max_concurrent\": 0, \"trainer\": {\"params\": {\"task\": \"binary-classification\", \"target\": \"y\"}},"
                        + " \"evaluation\": {\"metric\": \"rmse\"}}")
                .put(model()).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:invalid-request"))
                .body("detail", equalTo("the retrain policy is invalid: max_concurrent must be between 1 and 100; evaluation.metric must be "
                        + "one of accuracy, f1, log_loss, precision, recall, roc_auc for binary-classification"));
    }

    @Test
    void invalidModelTestsAreNamedByTheirField() {
        given().contentType("application/json")
                .body("{\"trainer\": {\"params\": {\"task\": \"binary-classification\", \"target\": \"y\"}},"
                        + " \"model_tests\": {\"directional\": [{\"feature\": \"x1\", \"delta\": 1, \"direction\": \"up\"}],"
                        + " \"latency\": {\"batch\": 1}}}")
                .put(model()).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:invalid-request"))
                .body("detail", equalTo("the retrain policy is invalid: model_tests.directional[0].direction must be increase or decrease "
                        + "(how the score must move); model_tests.latency needs p99_ms or p50_ms (or both): the budget in milliseconds"));
        given().contentType("application/json")
                .body("{\"model_tests\": {\"examples\": [{\"inputs\": {\"x1\": 1}, \"expect\": 1}]}}").put(model())
                .then().statusCode(400)
                .body("type", equalTo("urn:flywheel:problem:invalid-json"))
                .body("detail", startsWith("the body does not fit: unknown field 'model_tests.examples[0].expect'; known fields here: "
                        + "expected, inputs, name, tolerance"));
    }

    @Test
    void malformedJsonIsAProblemWithItsLineAndColumn() {
        given().contentType("application/json").body("{\n  \"cooldown\": \"PT1H\",\n  \"enabled\": tru\n}").put(model())
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:malformed-json"))
                .body("detail", containsString("(line 3, column"));
    }

    @Test
    void aMisspeltFieldOrAWrongTypeIsNamed() {
        given().contentType("application/json").body("{\"cooldwn\": \"PT1H\"}").put(model())
                .then().statusCode(400)
                .body("type", equalTo("urn:flywheel:problem:invalid-json"))
                .body("detail", startsWith("the body does not fit: unknown field 'cooldwn'; known fields here:"));
        given().contentType("application/json").body("{\"cooldown\": \"six hours\"}").put(model())
                .then().statusCode(400)
                .body("type", equalTo("urn:flywheel:problem:invalid-json"))
                .body("detail", containsString("'cooldown'"));
        given().contentType("application/json").body("{\"triggers\": [\"drift\", \"sunrise\"]}").put(model())
                .then().statusCode(400)
                .body("detail", containsString("trigger must be one of drift, quality, schedule, manual, code; got 'sunrise'"));
    }
}
