package io.flywheel.retrain.llm.langfuse;

import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Langfuse's dataset routes as its SDKs call them: a key pair's caller (internal token subject llm-project:<project>). */
@QuarkusTest
class LangfuseDatasetResourceTest {

    private static String project() {
        return "lf-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RequestSpecification as(String project) {
        return given().header("Authorization", TestCallers.bearer("llm-project:" + project)).contentType("application/json");
    }

    @Test
    void datasetsAreUpsertedByNameAndListedWithTotalPages() {
        String project = project();
        String id = as(project).body("{\"name\": \"team/qa\", \"description\": \"first\", \"metadata\": {\"k\": 1}}")
                .post("/api/public/v2/datasets").then().statusCode(200)
                .body("name", equalTo("team/qa")).body("description", equalTo("first")).body("metadata.k", equalTo(1))
                .body("projectId", equalTo(project)).body("inputSchema", nullValue()).body("createdAt", notNullValue())
                .extract().path("id");
        // the same name again: the same dataset, the sent field updated, the others kept
        as(project).body("{\"name\": \"team/qa\", \"description\": \"second\"}").post("/api/public/v2/datasets").then().statusCode(200)
                .body("id", equalTo(id)).body("description", equalTo("second")).body("metadata.k", equalTo(1));
        // the legacy create answers items and runs
        as(project).body("{\"name\": \"other\"}").post("/api/public/datasets").then().statusCode(200)
                .body("items", empty()).body("runs", empty());
        as(project).body("{\"name\": \"third\"}").post("/api/public/v2/datasets").then().statusCode(200);

        // a name with a slash, sent encoded as the SDKs do
        given().urlEncodingEnabled(false).header("Authorization", TestCallers.bearer("llm-project:" + project))
                .get("/api/public/v2/datasets/team%2Fqa").then().statusCode(200).body("id", equalTo(id));

        as(project).queryParam("limit", 2).get("/api/public/v2/datasets").then().statusCode(200)
                .body("data", hasSize(2)).body("meta.page", equalTo(1)).body("meta.limit", equalTo(2))
                .body("meta.totalItems", equalTo(3)).body("meta.totalPages", equalTo(2));
        as(project).queryParam("limit", 2).queryParam("page", 2).get("/api/public/v2/datasets").then().statusCode(200)
                .body("data", hasSize(1)).body("meta.totalPages", equalTo(2));

        // another project sees none of them
        as(project()).get("/api/public/v2/datasets/team%2Fqa").then().statusCode(404)
                .body("message", equalTo("Dataset not found")).body("error", equalTo("LangfuseNotFoundError"));
    }

    @Test
    void itemsAreUpsertedByIdAndPagedUntilTotalPages() {
        String project = project();
        as(project).body("{\"name\": \"qa\"}").post("/api/public/v2/datasets").then().statusCode(200);
        String datasetId = as(project).get("/api/public/v2/datasets/qa").then().extract().path("id");

        as(project).body("{\"datasetName\": \"qa\", \"id\": \"item-1\", \"input\": {\"question\": \"2+2?\"}, \"expectedOutput\": \"4\", "
                        + "\"metadata\": {\"topic\": \"math\"}, \"sourceTraceId\": \"t-1\"}")
                .post("/api/public/dataset-items").then().statusCode(200)
                .body("id", equalTo("item-1")).body("status", equalTo("ACTIVE")).body("input.question", equalTo("2+2?"))
                .body("expectedOutput", equalTo("4")).body("datasetId", equalTo(datasetId)).body("datasetName", equalTo("qa"))
                .body("sourceTraceId", equalTo("t-1")).body("sourceObservationId", nullValue()).body("mediaReferences", empty());
        // upsert: same id, the sent fields change, the rest stay
        as(project).body("{\"datasetName\": \"qa\", \"id\": \"item-1\", \"expectedOutput\": \"four\", \"status\": \"ARCHIVED\"}")
                .post("/api/public/dataset-items").then().statusCode(200)
                .body("expectedOutput", equalTo("four")).body("status", equalTo("ARCHIVED")).body("input.question", equalTo("2+2?"));
        for (int i = 2; i <= 5; i++) {
            as(project).body("{\"datasetName\": \"qa\", \"input\": \"q" + i + "\"}").post("/api/public/dataset-items").then().statusCode(200)
                    .body("id", notNullValue());
        }
        // the SDK's loop: pages of 2 until meta.totalPages <= page
        Set<String> seen = new HashSet<>();
        int page = 1;
        while (true) {
            Map<String, Object> meta = as(project).queryParam("datasetName", "qa").queryParam("limit", 2).queryParam("page", page)
                    .get("/api/public/dataset-items").then().statusCode(200).extract().path("meta");
            List<String> ids = as(project).queryParam("datasetName", "qa").queryParam("limit", 2).queryParam("page", page)
                    .get("/api/public/dataset-items").then().extract().path("data.id");
            seen.addAll(ids);
            assertThat(meta).containsEntry("totalItems", 5).containsEntry("totalPages", 3);
            if (((Number) meta.get("totalPages")).intValue() <= page) {
                break;
            }
            page++;
        }
        assertThat(seen).hasSize(5).contains("item-1");
        as(project).queryParam("sourceTraceId", "t-1").get("/api/public/dataset-items").then().statusCode(200)
                .body("data.id", contains("item-1")).body("meta.totalPages", equalTo(1));

        as(project).get("/api/public/dataset-items/item-1").then().statusCode(200).body("status", equalTo("ARCHIVED"));
        as(project).delete("/api/public/dataset-items/item-1").then().statusCode(200).body("message", startsWith("Dataset item"));
        as(project).get("/api/public/dataset-items/item-1").then().statusCode(404).body("error", equalTo("LangfuseNotFoundError"));

        // errors in Langfuse's shape
        as(project).body("{\"datasetName\": \"missing\", \"input\": 1}").post("/api/public/dataset-items").then().statusCode(404)
                .body("message", equalTo("dataset 'missing' does not exist")).body("error", equalTo("LangfuseNotFoundError"));
        as(project).body("{\"datasetName\": \"qa\", \"status\": \"GONE\"}").post("/api/public/dataset-items").then().statusCode(400)
                .body("message", startsWith("Invalid request data")).body("error", equalTo("InvalidRequestError"));
        as(project).queryParam("limit", 101).get("/api/public/dataset-items").then().statusCode(400)
                .body("message", startsWith("Invalid request data: limit"));
    }

    @Test
    void aRunItemCreatesItsRunByNameWithoutTheTraceExisting() {
        String project = project();
        as(project).body("{\"name\": \"qa\"}").post("/api/public/v2/datasets").then().statusCode(200);
        String datasetId = as(project).get("/api/public/v2/datasets/qa").then().extract().path("id");
        as(project).body("{\"datasetName\": \"qa\", \"id\": \"a\", \"input\": \"x\"}").post("/api/public/dataset-items").then().statusCode(200);
        as(project).body("{\"datasetName\": \"qa\", \"id\": \"b\", \"input\": \"y\"}").post("/api/public/dataset-items").then().statusCode(200);

        String runId = as(project).body("{\"runName\": \"exp-1\", \"runDescription\": \"first\", \"metadata\": {\"m\": true}, "
                        + "\"datasetItemId\": \"a\", \"traceId\": \"0af7651916cd43dd8448eb211c80319c\"}")
                .post("/api/public/dataset-run-items").then().statusCode(200)
                .body("datasetRunId", notNullValue()).body("datasetRunName", equalTo("exp-1")).body("datasetItemId", equalTo("a"))
                .body("traceId", equalTo("0af7651916cd43dd8448eb211c80319c")).body("observationId", nullValue())
                .extract().path("datasetRunId");
        as(project).body("{\"runName\": \"exp-1\", \"datasetItemId\": \"b\", \"traceId\": \"t-b\", \"observationId\": \"o-b\"}")
                .post("/api/public/dataset-run-items").then().statusCode(200).body("datasetRunId", equalTo(runId));

        as(project).get("/api/public/datasets/qa/runs").then().statusCode(200)
                .body("data.name", contains("exp-1")).body("data[0].description", equalTo("first")).body("data[0].metadata.m", equalTo(true))
                .body("meta.totalPages", equalTo(1));
        as(project).get("/api/public/datasets/qa/runs/exp-1").then().statusCode(200)
                .body("id", equalTo(runId)).body("datasetName", equalTo("qa")).body("datasetRunItems", hasSize(2));
        as(project).queryParam("datasetId", datasetId).queryParam("runName", "exp-1").queryParam("limit", 1)
                .get("/api/public/dataset-run-items").then().statusCode(200)
                .body("data", hasSize(1)).body("meta.totalItems", equalTo(2)).body("meta.totalPages", equalTo(2));
        as(project).get("/api/public/datasets/qa").then().statusCode(200).body("runs", contains("exp-1")).body("items", hasSize(2));

        as(project).body("{\"runName\": \"exp-1\", \"datasetItemId\": \"a\"}").post("/api/public/dataset-run-items").then().statusCode(400)
                .body("message", startsWith("Invalid request data"));
        as(project).body("{\"runName\": \"exp-1\", \"datasetItemId\": \"nope\", \"traceId\": \"t\"}").post("/api/public/dataset-run-items")
                .then().statusCode(404).body("error", equalTo("LangfuseNotFoundError"));

        as(project).delete("/api/public/datasets/qa/runs/exp-1").then().statusCode(200);
        as(project).get("/api/public/datasets/qa/runs/exp-1").then().statusCode(404);
    }

    @Test
    void flywheelCallersUseTheirOwnApiNotLangfusesRoutes() {
        given().get("/api/public/v2/datasets").then().statusCode(403).body("error", equalTo("AccessDeniedError"));
    }
}
