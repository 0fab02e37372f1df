package io.flywheel.monitor.reference;

import io.flywheel.events.DeploymentChanged;
import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.flywheel.monitor.support.Events.cloudEvent;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Reference fitting from the registry's training dataset (registry-service/README.md), against the live
 * registry that {@code ./flywheel test} runs (skipped when no registry with the dataset API answers
 * at {@code monitor.registry.url}): on request, and when deploy says a version went live.
 */
@QuarkusTest
class RegistryFitTest {

    @ConfigProperty(name = "monitor.registry.url")
    String registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.deployments.topic")
    String deployTopic;

    @BeforeEach
    void registryAnswers() {
        int status;
        try {
            status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry + "/api/v1/datasets?limit=1"))
                    .header("Authorization", TestCallers.bearer("tests")).timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            status = -1;
        }
        Assumptions.assumeTrue(status == 200, "no registry with the dataset API at " + registry);
    }

    private RequestSpecification registry() {
        return given().baseUri(registry).port(-1);
    }

    /** A model with version 1 trained on a registered CSV dataset; returns the model name. */
    private String registeredVersion() {
        String model = "fit-" + UUID.randomUUID().toString().substring(0, 8);
        String dataset = model + "-train";
        StringBuilder csv = new StringBuilder("age,plan,churn\n");
        for (int i = 0; i < 500; i++) {
            csv.append(20 + i % 60).append(',').append(i % 3 == 0 ? "pro" : "basic").append(',').append(i % 2).append('\n');
        }
        registry().contentType(ContentType.JSON).body("{\"name\": \"" + model + "\", \"description\": \"monitor test\"}")
                .post("/api/v1/models").then().statusCode(201);
        registry().contentType(ContentType.JSON).body("{\"name\": \"" + dataset + "\", \"description\": \"monitor test\"}")
                .post("/api/v1/datasets").then().statusCode(201);
        String id = registry().contentType("text/csv").body(csv.toString().getBytes())
                .put("/api/v1/datasets/{d}/versions", dataset).then().statusCode(201).extract().path("id");
        registry().contentType(ContentType.JSON).body("""
                        {"description": "v1", "framework": "flywheel-linear", "format": "json",
                         "signature": {"inputs": [{"name": "age", "type": "integer"}, {"name": "plan", "type": "string"}],
                                       "output": {"name": "churn", "type": "number"}},
                         "lineage": {"dataset_versions": [{"dataset": "%s", "id": "%s"}]}}""".formatted(dataset, id))
                .post("/api/v1/models/{m}/versions", model).then().statusCode(201).body("version", equalTo(1));
        return model;
    }

    @Test
    void fitsFromTheTrainingDatasetOnRequest() {
        String model = registeredVersion();
        given().when().post("/api/v1/monitoring/{m}/versions/1/reference/fit", model)
                .then().statusCode(201)
                .body("source", startsWith("registry:" + model + "-train@"))
                .body("rows", equalTo(500))
                .body("features.name", equalTo(List.of("age", "plan")))
                .body("features[0].kind", equalTo("numeric"))
                .body("features[1].categories", equalTo(List.of("basic", "pro")))
                .body("prediction.name", equalTo("churn"));
        given().when().post("/api/v1/monitoring/{m}/versions/7/reference/fit", model)
                .then().statusCode(404).body("type", equalTo("urn:flywheel:problem:not-found"));
    }

    @Test
    void fitsWhenAVersionGoesLive() {
        String model = registeredVersion();
        String changed = """
                {"model": "%s", "environment": "production", "live": [{"version": 1, "traffic_percent": 100, "role": "primary"}],
                 "action": "promoted", "actor": "test", "reason": "test", "changed_at": "2026-11-26T10:00:00Z"}""".formatted(model);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(cloudEvent(deployTopic, model, DeploymentChanged.TYPE, changed)).awaitCompletion();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/api/v1/monitoring/{m}/versions/1/reference", model)
                        .then().statusCode(200).body("source", startsWith("registry:")).body("rows", equalTo(500)));
    }
}
