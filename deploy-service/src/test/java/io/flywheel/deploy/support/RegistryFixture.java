package io.flywheel.deploy.support;

import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * Models and versions registered in the real registry (the test stack's, which `./flywheel test`
 * serves on 18081), through its HTTP API (registry-service/README.md). Every model gets a unique name.
 */
public final class RegistryFixture {

    private RegistryFixture() {
    }

    public static String url() {
        return ConfigProvider.getConfig().getValue("deploy.registry.url", String.class);
    }

    private static RequestSpecification registry() {
        URI uri = URI.create(url());
        return given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort()).contentType("application/json");
    }

    /** A new model with a unique name starting with {@code prefix}. */
    public static String model(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        registry().body(Map.of("name", name, "description", "deploy-service test model"))
                .post("/api/v1/models").then().statusCode(201);
        return name;
    }

    /** A finalised flywheel-linear logistic version of {@code n} number features x0..x(n-1). */
    public static int logisticVersion(String model, int n, Map<String, Double> metrics) {
        int version = draft(model, Artifacts.logisticSignature(n), metrics);
        upload(model, version, Artifacts.logistic(n));
        return version;
    }

    /** A finalised churn version with these metrics; its intercept makes its answers distinct. */
    public static int churnVersion(String model, Map<String, Double> metrics, double intercept) {
        int version = draft(model, Artifacts.churnSignature(), metrics);
        upload(model, version, Artifacts.churn(intercept));
        return version;
    }

    /**
     * A finalised ONNX version: format {@code onnx}, an explicit signature (the features by name, in the
     * matrix's column order), the model's bytes from {@code onnx/<file>.onnx}.
     */
    public static int onnxVersion(String model, String file, String framework, Map<String, Object> signature,
                                  Map<String, Double> metrics) {
        int version = draft(model, framework, "onnx", signature, metrics);
        registry().contentType("application/octet-stream").body(OnnxModels.bytes(file))
                .put("/api/v1/models/{name}/versions/{v}/artifact", model, version)
                .then().statusCode(200);
        return version;
    }

    public static int draft(String model, Map<String, Object> signature, Map<String, Double> metrics) {
        return draft(model, "flywheel-linear", "json", signature, metrics);
    }

    public static int draft(String model, String framework, String format, Map<String, Object> signature, Map<String, Double> metrics) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "test version");
        body.put("framework", framework);
        body.put("format", format);
        body.put("signature", signature);
        body.put("metrics", metrics);
        return registry().body(body).post("/api/v1/models/{name}/versions", model)
                .then().statusCode(201).extract().path("version");
    }

    public static void upload(String model, int version, String artifact) {
        registry().contentType("application/json").body(artifact.getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/models/{name}/versions/{v}/artifact", model, version)
                .then().statusCode(200);
    }

    /** The version the champion alias points at, or null when it does not exist. */
    public static Integer champion(String model) {
        var response = registry().get("/api/v1/models/{name}/aliases/champion", model);
        return response.statusCode() == 404 ? null : response.then().statusCode(200).extract().path("version");
    }

    /** Who last moved the champion alias. */
    public static String championMovedBy(String model) {
        return registry().get("/api/v1/models/{name}/aliases/champion", model).then().statusCode(200).extract().path("updated_by");
    }
}
