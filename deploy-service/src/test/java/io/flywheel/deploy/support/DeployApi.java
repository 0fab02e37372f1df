package io.flywheel.deploy.support;

import io.flywheel.internalauth.TestCallers;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * Deploy's API as a test drives it; the base URLs come from @TestHTTPEndpoint (no hard-coded paths).
 */
public final class DeployApi {

    private final String deployments;
    private final String v2;

    public DeployApi(URL deployments, URL v2) {
        this.deployments = deployments.toString();
        this.v2 = v2.toString();
    }

    public RequestSpecification deployments() {
        return given().baseUri(deployments).contentType(ContentType.JSON);
    }

    public RequestSpecification v2() {
        return given().baseUri(v2).contentType(ContentType.JSON);
    }

    public static Map<String, Object> promotion(int version, String strategy, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        if (strategy != null) {
            body.put("strategy", strategy);
        }
        body.put("reason", reason);
        return body;
    }

    public static Map<String, Object> canary(int version, List<Integer> steps, double minHoldSeconds, long minSamples) {
        Map<String, Object> body = promotion(version, "canary", "canary test");
        body.put("canary", Map.of("steps", steps, "min_hold_seconds", minHoldSeconds, "min_samples", minSamples));
        return body;
    }

    public Response promote(String model, String environment, Map<String, Object> body, String principal) {
        return deployments().header("Authorization", TestCallers.bearer(principal)).body(body)
                .post("{model}/{environment}/promotions", model, environment);
    }

    /** Promotes and expects it applied (201). */
    public void promoted(String model, String environment, int version, String strategy) {
        promote(model, environment, promotion(version, strategy, "test"), "tester").then().statusCode(201);
    }

    public Response deployment(String model, String environment) {
        return deployments().get("{model}/{environment}", model, environment);
    }

    public Response history(String model, String environment) {
        return deployments().get("{model}/{environment}/history", model, environment);
    }

    public Response rollback(String model, String environment, String reason, String principal) {
        return deployments().header("Authorization", TestCallers.bearer(principal)).body(Map.of("reason", reason))
                .post("{model}/{environment}/rollback", model, environment);
    }

    /** One churn prediction in the environment, routed by {@code routingKey}. */
    public Response infer(String model, String environment, String requestId, String routingKey) {
        Map<String, Object> body = Map.of("id", requestId, "inputs", Artifacts.churnInputs(41, 52_000.0, true, "plus"));
        RequestSpecification request = v2().header("X-Flywheel-Environment", environment);
        if (routingKey != null) {
            request = request.header("X-Flywheel-Routing-Key", routingKey);
        }
        return request.body(body).post("models/{name}/infer", model);
    }
}
