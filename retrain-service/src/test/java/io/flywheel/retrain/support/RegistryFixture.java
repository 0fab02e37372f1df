package io.flywheel.retrain.support;

import io.flywheel.internalauth.TestCallers;
import io.flywheel.linear.Dataset;
import io.flywheel.linear.LinearModel;
import io.flywheel.linear.Task;
import io.flywheel.linear.Trainer;
import io.flywheel.linear.TrainingParams;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * The real registry (retrain.registry.url: the one `./flywheel test` runs on 8081), for setting up
 * models and champions and for checking what retraining registered. Never a fake.
 */
public final class RegistryFixture {

    private RegistryFixture() {
    }

    public static String url() {
        return ConfigProvider.getConfig().getValue("retrain.registry.url", String.class);
    }

    private static RequestSpecification registry() {
        java.net.URI uri = java.net.URI.create(url());
        return given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort()).basePath("")
                .header("Authorization", TestCallers.bearer("retrain-tests"));
    }

    public static void createModel(String model) {
        registry().contentType("application/json").body(Map.of("name", model, "description", "retrain test model"))
                .post("/api/v1/models").then().statusCode(201);
    }

    /** Registers the artifact as the next version (ready) and points the champion alias at it; returns the version. */
    public static int registerChampion(String model, LinearModel champion) {
        int version = registry().contentType("application/json")
                .body(Map.of("description", "champion for a retrain test", "framework", "flywheel-linear", "format", "json"))
                .post("/api/v1/models/" + model + "/versions").then().statusCode(201).extract().path("version");
        registry().contentType("application/json").body(champion.toJson().getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/models/" + model + "/versions/" + version + "/artifact").then().statusCode(200);
        registry().contentType("application/json").body(Map.of("version", version, "reason", "test champion"))
                .put("/api/v1/models/" + model + "/aliases/champion").then().statusCode(200);
        return version;
    }

    /** Creates the dataset and registers the CSV as a version of it; returns the version id. */
    public static String registerDataset(String dataset, String csv) {
        registry().contentType("application/json").body(Map.of("name", dataset, "description", "retrain test base dataset"))
                .post("/api/v1/datasets").then().statusCode(201);
        return registry().contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/datasets/" + dataset + "/versions").then().statusCode(201).extract().path("id");
    }

    public static JsonPath version(String model, int version) {
        return registry().get("/api/v1/models/" + model + "/versions/" + version).then().statusCode(200).extract().jsonPath();
    }

    public static int versionStatus(String model, int version) {
        return registry().get("/api/v1/models/" + model + "/versions/" + version).then().extract().statusCode();
    }

    public static String artifact(String model, int version) {
        return registry().get("/api/v1/models/" + model + "/versions/" + version + "/artifact").then().statusCode(200).extract().asString();
    }

    public static byte[] artifactBytes(String model, int version) {
        return registry().get("/api/v1/models/" + model + "/versions/" + version + "/artifact").then().statusCode(200).extract().asByteArray();
    }

    /** Points the champion alias at a ready version. */
    public static void moveChampion(String model, int version) {
        registry().contentType("application/json").body(Map.of("version", version, "reason", "test champion"))
                .put("/api/v1/models/" + model + "/aliases/champion").then().statusCode(200);
    }

    public static JsonPath datasetVersion(String dataset, String id) {
        return registry().get("/api/v1/datasets/" + dataset + "/versions/" + id).then().statusCode(200).extract().jsonPath();
    }

    public static byte[] datasetContent(String dataset, String id) {
        return registry().get("/api/v1/datasets/" + dataset + "/versions/" + id + "/content").then().statusCode(200).extract().asByteArray();
    }

    /** A model trained on the synthetic churn rows, on the given features only. */
    public static LinearModel trained(int rows, long seed, List<String> features) {
        TrainingParams params = TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned");
        if (features != null) {
            params = params.withFeatures(features);
        }
        return Trainer.train(Dataset.of(Rows.churn(rows, seed)), params, Instant.parse("2026-01-01T00:00:00Z"), null).model();
    }
}
