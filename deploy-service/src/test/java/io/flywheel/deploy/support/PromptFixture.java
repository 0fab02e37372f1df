package io.flywheel.deploy.support;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.internalauth.TestCallers;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * Prompts in the real registry (the test stack's) and online scores for the real monitor: generations
 * that name a prompt version, each with a score, as the gateway publishes them on the traces topic.
 * The test stack's monitor consumes {@code flywheel.traces} of the test Kafka (it runs with the
 * services' own topics, not the tests' {@code test.*} ones).
 */
public final class PromptFixture {

    public static final String TRACES_TOPIC = "flywheel.traces";

    private PromptFixture() {
    }

    private static RequestSpecification registry() {
        URI uri = URI.create(RegistryFixture.url());
        return given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort()).contentType("application/json");
    }

    public static String project() {
        return "pc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Version 1 holding production (an admin labels it), version 2 with no label. */
    public static void twoVersions(String project, String prompt) {
        registry().header("Authorization", TestCallers.bearer("admin-ann", "admin"))
                .queryParam("project", project)
                .body(Map.of("name", prompt, "type", "text", "prompt", "Answer {{question}}", "labels", List.of("production")))
                .post("/api/v1/prompts").then().statusCode(201);
        registry().queryParam("project", project)
                .body(Map.of("name", prompt, "type", "text", "prompt", "Answer {{question}} briefly and kindly"))
                .post("/api/v1/prompts").then().statusCode(201);
    }

    /** The version holding the label, or null when none does. */
    public static Integer labelled(String project, String prompt, String label) {
        var response = registry().queryParam("project", project).queryParam("label", label).get("/api/v1/prompts/" + prompt);
        return response.statusCode() == 404 ? null : response.then().statusCode(200).extract().path("version");
    }

    /** {@code n} generations of the prompt version, each scored {@code value} on {@code score}, now. */
    public static List<ProducerRecord<String, String>> scored(String project, String prompt, int version, String score, double value,
                                                              int n) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        Instant at = Instant.now();
        for (int i = 0; i < n; i++) {
            String trace = "t-" + UUID.randomUUID();
            String generation = "g-" + UUID.randomUUID();
            records.add(CloudEventRecords.cloudEvent(TRACES_TOPIC, UUID.randomUUID().toString(), project + "/" + trace,
                    ObservationUpserted.TYPE, """
                            {"project":"%s","id":"%s","trace_id":"%s","type":"GENERATION","name":"llm","model":"stub",
                             "prompt_name":"%s","prompt_version":%d,"start_time":"%s","received_at":"%s"}"""
                            .formatted(project, generation, trace, prompt, version, at, at)));
            records.add(CloudEventRecords.cloudEvent(TRACES_TOPIC, UUID.randomUUID().toString(), project + "/" + trace,
                    ScoreUpserted.TYPE, """
                            {"project":"%s","id":"%s","trace_id":"%s","observation_id":"%s","name":"%s","data_type":"NUMERIC",
                             "value":%s,"source":"EVAL","timestamp":"%s"}"""
                            .formatted(project, "s-" + UUID.randomUUID(), trace, generation, score, value, at)));
        }
        return records;
    }
}
