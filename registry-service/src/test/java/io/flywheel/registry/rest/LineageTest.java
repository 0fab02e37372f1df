package io.flywheel.registry.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.flywheel.registry.Fixtures.createDataset;
import static io.flywheel.registry.Fixtures.createModel;
import static io.flywheel.registry.Fixtures.uploadCsv;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class LineageTest {

    private static int register(String model, String lineage) {
        return given().contentType(ContentType.JSON).body("{\"framework\": \"flywheel-linear\", \"lineage\": " + lineage + "}")
                .when().post("/api/v1/models/{name}/versions", model)
                .then().statusCode(201).extract().path("version");
    }

    @Test
    void upstreamGraphAndDerivedVersions() {
        String dataset = createDataset("train");
        String base = uploadCsv(dataset, "x,y\n1,2\n3,4\n");
        String fresh = uploadCsv(dataset, "x,y\n5,6\n");
        String model = createModel("lineage");

        int v1 = register(model, "{\"dataset_versions\": [{\"dataset\": \"" + dataset + "\", \"id\": \"" + base + "\"}],"
                + " \"code\": {\"repository\": \"https://git/flywheel\", \"commit\": \"abc123\"}}");
        int v2 = register(model, "{\"dataset_versions\": [{\"dataset\": \"" + dataset + "\", \"id\": \"" + fresh + "\"}],"
                + " \"code\": {\"repository\": \"https://git/flywheel\", \"commit\": \"def456\"}, \"retrain_job\": \"job-42\", \"parent_version\": " + v1 + "}");
        int v3 = register(model, "{\"parent_version\": " + v2 + "}");
        register(model, "{}");

        JsonPath lineage = given().when().get("/api/v1/models/{name}/versions/{v}/lineage", model, v2)
                .then().statusCode(200)
                .body("model", equalTo(model))
                .body("version", equalTo(v2))
                .extract().jsonPath();

        String self = "model_version:" + model + "/" + v2;
        String parent = "model_version:" + model + "/" + v1;
        List<Map<String, Object>> nodes = lineage.getList("upstream.nodes");
        assertThat(nodes).extracting(node -> node.get("id")).containsExactlyInAnyOrder(
                self, parent,
                "dataset_version:" + dataset + "@" + fresh, "dataset_version:" + dataset + "@" + base,
                "code_commit:https://git/flywheel@def456", "code_commit:https://git/flywheel@abc123",
                "retrain_job:job-42");
        assertThat(nodes).filteredOn(node -> ("dataset_version:" + dataset + "@" + base).equals(node.get("id")))
                .singleElement()
                .satisfies(node -> {
                    assertThat(node).containsEntry("rows", 2).containsEntry("format", "csv").containsEntry("registered", true);
                });
        List<Map<String, String>> edges = lineage.getList("upstream.edges");
        assertThat(edges).contains(
                Map.of("from", self, "to", "dataset_version:" + dataset + "@" + fresh, "relation", "trained_on"),
                Map.of("from", self, "to", "code_commit:https://git/flywheel@def456", "relation", "built_from"),
                Map.of("from", self, "to", "retrain_job:job-42", "relation", "produced_by"),
                Map.of("from", self, "to", parent, "relation", "derived_from"),
                Map.of("from", parent, "to", "dataset_version:" + dataset + "@" + base, "relation", "trained_on"));
        assertThat(lineage.getList("derived.version")).containsExactly(v3);

        // the dataset version knows which model versions were trained on it
        given().when().get("/api/v1/datasets/{name}/versions/{id}/models", dataset, fresh)
                .then().statusCode(200).body("version", equalTo(List.of(v2)));
    }

    @Test
    void lineageOfAnUnknownVersionIsNotFound() {
        String model = createModel("no-lineage");
        given().when().get("/api/v1/models/{name}/versions/{v}/lineage", model, 3).then().statusCode(404);
    }
}
