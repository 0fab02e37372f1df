package io.flywheel.deploy.rest;

import io.flywheel.deploy.support.Events;
import io.flywheel.deploy.support.PromptFixture;
import io.flywheel.events.PromptPromotionRequested;
import io.flywheel.events.PromptRolloutChanged;
import io.flywheel.events.QualityDegraded;
import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.flywheel.deploy.support.CloudEventRecords.cloudEvent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * Prompt rollouts end to end over the real PostgreSQL, Kafka, registry and monitor: retrain's
 * PromptPromotionRequested starts a canary of sessions (once per event), apps route sessions stably in
 * the policy's share, and the judge reads the monitor's online scores: a worse candidate is rolled back
 * (production stays), one as good is promoted (production moves to it in the registry), and the
 * monitor's llm_score degradation of the candidate rolls it back.
 */
@QuarkusTest
class PromptRolloutTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPEndpoint(PromptRolloutResource.class)
    @TestHTTPResource
    URL prompts;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.retrain-events.topic")
    String retrainTopic;

    @ConfigProperty(name = "mp.messaging.incoming.monitor-events.topic")
    String monitorTopic;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String deployTopic;

    private RequestSpecification api(String project) {
        return given().baseUri(prompts.toString()).contentType(ContentType.JSON).queryParam("project", project);
    }

    private static String requested(String project, String prompt, int candidate) {
        return """
                {"project":"%s","prompt":"%s","candidate_version":%d,"baseline_version":1,"job_id":"job-9","experiment_id":"exp-3",
                 "score_name":"helpful","evidence":{"candidate_mean":0.86,"baseline_mean":0.80,"margin":0.02,"items":40},
                 "reason":"candidate beat production on the dataset","requested_at":"2026-12-07T06:00:00Z"}"""
                .formatted(project, prompt, candidate);
    }

    /** A prompt with production on v1, a fast policy, and a canary of v2 started by retrain's request (sent twice). */
    private String canaryStarted(String project, String prompt) {
        PromptFixture.twoVersions(project, prompt);
        api(project).header("Authorization", TestCallers.bearer("alice"))
                .body(Map.of("share_percent", 30, "min_duration", "PT2S", "max_duration", "PT10M", "min_count", 5, "max_drop", 0.1,
                        "margin", 0.05))
                .put("{name}/policy", prompt).then().statusCode(200)
                .body("policy.share_percent", equalTo(30)).body("stored.min_count", equalTo(5)).body("updated_by", equalTo("alice"));
        String eventId = UUID.randomUUID().toString();
        publish(List.of(
                cloudEvent(retrainTopic, eventId, project + "/" + prompt, PromptPromotionRequested.TYPE, requested(project, prompt, 2)),
                cloudEvent(retrainTopic, eventId, project + "/" + prompt, PromptPromotionRequested.TYPE, requested(project, prompt, 2))));
        await().atMost(WAIT).untilAsserted(() -> api(project).get("{name}/rollouts", prompt).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].status", equalTo("running")));
        String id = api(project).get("{name}/rollouts", prompt).then().extract().path("items[0].id");
        api(project).get("{name}/rollouts/{id}", prompt, id).then().statusCode(200)
                .body("candidate_version", equalTo(2)).body("baseline_version", equalTo(1)).body("score_name", equalTo("helpful"))
                .body("started_by", equalTo("retrain")).body("source", equalTo("retrain")).body("job_id", equalTo("job-9"))
                .body("experiment_id", equalTo("exp-3")).body("evidence.items", equalTo(40))
                .body("policy.share_percent", equalTo(30)).body("history", hasSize(1)).body("history[0].action", equalTo("started"));
        // SDK users fetch the candidate by the canary label: no session is sent to the canary before the registry has it
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int i = 0; PromptFixture.labelled(project, prompt, "canary") == null; i++) {
            assertThat(System.nanoTime()).as("the canary label is on version 2 in the registry in time").isLessThan(deadline);
            String label = api(project).queryParam("session_id", "early-" + i).get("{name}/route", prompt).then().statusCode(200)
                    .extract().path("label");
            if (label.equals("canary")) {
                assertThat(PromptFixture.labelled(project, prompt, "canary")).as("a session was sent to the canary label").isEqualTo(2);
            }
        }
        assertThat(PromptFixture.labelled(project, prompt, "canary")).isEqualTo(2);
        return id;
    }

    @Test
    void sessionsAreSplitStablyInThePolicysShare() {
        String project = PromptFixture.project();
        String prompt = "answer";
        String id = canaryStarted(project, prompt);
        Map<String, Integer> first = new HashMap<>();
        IntStream.range(0, 200).forEach(i -> first.put("session-" + i, api(project).queryParam("session_id", "session-" + i)
                .get("{name}/route", prompt).then().statusCode(200).body("rollout.id", equalTo(id)).extract().path("version")));
        long onCandidate = first.values().stream().filter(v -> v == 2).count();
        assertThat(onCandidate).as("sessions on the candidate of 200 at 30%%").isBetween(40L, 80L);
        assertThat(first.values()).containsOnly(1, 2);
        first.entrySet().stream().limit(50).forEach(e -> api(project).queryParam("session_id", e.getKey()).get("{name}/route", prompt)
                .then().body("version", equalTo(e.getValue())).body("label", equalTo(e.getValue() == 2 ? "canary" : "production")));
        api(project).get("{name}/route", prompt).then().statusCode(200).body("version", equalTo(1)).body("label", equalTo("production"));
        // no scores yet: the judge holds, and says why on the rollout
        await().atMost(WAIT).untilAsserted(() -> api(project).get("{name}/rollouts/{id}", prompt, id).then()
                .body("judgement.decision", equalTo("hold"))
                .body("judgement.detail", equalTo("waiting for 5 scores per version (candidate 0, baseline 0)")));
    }

    @Test
    void aWorseCandidateIsRolledBackAndProductionStays() {
        String project = PromptFixture.project();
        String prompt = "team-a/answer";
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            ConsumerTask<String, String> events = kafka.consumeStrings()
                    .withGroupId("prompt-rollout-test-" + UUID.randomUUID()).withOffsetReset(OffsetResetStrategy.LATEST)
                    .fromTopics(deployTopic);
            String id = canaryStarted(project, prompt);
            publish(PromptFixture.scored(project, prompt, 1, "helpful", 0.9, 8));
            publish(PromptFixture.scored(project, prompt, 2, "helpful", 0.2, 8));
            await().atMost(WAIT).untilAsserted(() -> api(project).get("{name}/rollouts/{id}", prompt, id).then()
                    .body("status", equalTo("rolled-back")));
            api(project).get("{name}/rollouts/{id}", prompt, id).then()
                    .body("ended_by", equalTo("policy")).body("end_reason", containsString("candidate v2 mean 0.2"))
                    .body("history[1].action", equalTo("rolled-back")).body("history[1].evidence.trigger", equalTo("scores"))
                    // the judge decides once it has min_count (5) per version, maybe before the last of the 8 arrived (CI: 7)
                    .body("history[1].evidence.candidate.count", both(greaterThanOrEqualTo(5)).and(lessThanOrEqualTo(8)))
                    .body("history[1].evidence.baseline.mean", equalTo(0.9f));
            await().atMost(WAIT).untilAsserted(() -> assertThat(PromptFixture.labelled(project, prompt, "canary")).isNull());
            assertThat(PromptFixture.labelled(project, prompt, "production")).isEqualTo(1);
            api(project).get("{name}/route", prompt).then().body("version", equalTo(1)).body("rollout", nullValue());
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.getRecords().stream()
                    .filter(r -> PromptRolloutChanged.TYPE.equals(Events.type(r)) && r.key().equals(project + "/" + prompt))
                    .map(r -> Events.payload(r).get("action")).toList()).containsExactly("started", "rolled-back"));
            Map<String, Object> rolledBack = events.getRecords().stream()
                    .filter(r -> PromptRolloutChanged.TYPE.equals(Events.type(r)) && r.key().equals(project + "/" + prompt))
                    .map(Events::payload).filter(p -> "rolled-back".equals(p.get("action"))).findFirst().orElseThrow();
            assertThat(rolledBack).containsEntry("rollout_id", id).containsEntry("status", "rolled-back")
                    .containsEntry("candidate_version", 2).containsEntry("baseline_version", 1).containsEntry("actor", "policy");
            events.close();
        }
    }

    @Test
    void aCandidateAsGoodIsPromotedAndProductionMovesToIt() {
        String project = PromptFixture.project();
        String prompt = "answer";
        String id = canaryStarted(project, prompt);
        publish(PromptFixture.scored(project, prompt, 1, "helpful", 0.8, 6));
        publish(PromptFixture.scored(project, prompt, 2, "helpful", 0.8, 6));
        await().atMost(WAIT).untilAsserted(() -> api(project).get("{name}/rollouts/{id}", prompt, id).then()
                .body("status", equalTo("promoted")));
        api(project).get("{name}/rollouts/{id}", prompt, id).then().body("ended_by", equalTo("policy"))
                .body("history[1].action", equalTo("promoted")).body("history[1].evidence.drop", equalTo(0.0f));
        await().atMost(WAIT).untilAsserted(() -> assertThat(PromptFixture.labelled(project, prompt, "production")).isEqualTo(2));
        await().atMost(WAIT).untilAsserted(() -> assertThat(PromptFixture.labelled(project, prompt, "canary")).isNull());
        api(project).queryParam("session_id", "anyone").get("{name}/route", prompt).then().body("version", equalTo(2))
                .body("label", equalTo("production"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("deploy_prompt_rollouts_total{outcome=\"promoted\"}"))
                .body(containsString("deploy_prompt_judgements_total{decision=\"promote\"}"));
    }

    @Test
    void theMonitorsScoreDegradationOfTheCandidateRollsItBack() {
        String project = PromptFixture.project();
        String prompt = "answer";
        String id = canaryStarted(project, prompt);
        String degraded = QualityDegraded.TYPE;
        String payload = """
                {"model":"%s","version":2,"kind":"llm_score","metric":"score_mean_drop","value":0.38,"threshold":0.2,
                 "window_start":"2026-12-07T06:00:00Z","window_end":"2026-12-07T06:01:00Z","samples":8,"detected_at":"2026-12-07T06:01:02Z",
                 "evidence":{"count":8,"mean":0.5},
                 "llm":{"project":"%s","score_name":"helpful","group_by":"prompt","prompt_name":"%s","prompt_version":2,"llm_model":null}}"""
                .formatted(prompt, project, prompt);
        publish(List.of(cloudEvent(monitorTopic, UUID.randomUUID().toString(), project + "/" + prompt, degraded, payload)));
        await().atMost(WAIT).untilAsserted(() -> api(project).get("{name}/rollouts/{id}", prompt, id).then()
                .body("status", equalTo("rolled-back")).body("ended_by", equalTo("monitor"))
                .body("end_reason", containsString("helpful score_mean_drop = 0.38")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(PromptFixture.labelled(project, prompt, "canary")).isNull());
        assertThat(PromptFixture.labelled(project, prompt, "production")).isEqualTo(1);
    }

    @Test
    void byHandARolloutStartsOnceAndIsPromotedOrRefusedWithProblems() {
        String project = PromptFixture.project();
        String prompt = "answer";
        PromptFixture.twoVersions(project, prompt);
        api(project).get("{name}/policy", prompt).then().statusCode(200).body("policy.share_percent", equalTo(20))
                .body("policy.min_duration", equalTo("PT1H")).body("stored", nullValue());
        api(project).body(Map.of("min_duration", "PT2H", "max_duration", "PT1H")).put("{name}/policy", prompt).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("max_duration"));
        api(project).body(Map.of("min_duration", "soon")).put("{name}/policy", prompt).then().statusCode(400)
                .body("detail", equalTo("min_duration is an ISO-8601 duration such as PT1H, got 'soon'"));
        api(project).header("Authorization", TestCallers.bearer("bob")).body(Map.of("score_name", "helpful"))
                .post("{name}/rollouts", prompt).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("candidate_version"));
        api(project).header("Authorization", TestCallers.bearer("bob")).body(Map.of("candidate_version", 9, "score_name", "helpful"))
                .post("{name}/rollouts", prompt).then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no version 9"));
        api(project).header("Authorization", TestCallers.bearer("bob"))
                .body(Map.of("candidate_version", 2, "score_name", "helpful", "policy", Map.of("share_percent", 0)))
                .post("{name}/rollouts", prompt).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("share_percent"));
        String id = api(project).header("Authorization", TestCallers.bearer("bob")).header("Idempotency-Key", "k-1")
                .body(Map.of("candidate_version", 2, "score_name", "helpful", "reason", "try the kinder wording"))
                .post("{name}/rollouts", prompt).then().statusCode(201).body("status", equalTo("running"))
                .body("started_by", equalTo("bob")).body("policy.share_percent", equalTo(20)).extract().path("id");
        api(project).header("Authorization", TestCallers.bearer("bob")).header("Idempotency-Key", "k-1")
                .body(Map.of("candidate_version", 2, "score_name", "helpful")).post("{name}/rollouts", prompt).then()
                .body("id", equalTo(id));
        api(project).header("Authorization", TestCallers.bearer("bob")).body(Map.of("candidate_version", 2, "score_name", "helpful"))
                .post("{name}/rollouts", prompt).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("runs"));
        api(project).header("Authorization", TestCallers.bearer("dave")).body(Map.of("reason", "ship it"))
                .post("{name}/rollouts/{id}/promotion", prompt, id).then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:forbidden")).body("detail", containsString("only an admin"));
        api(project).header("Authorization", TestCallers.bearer("carol", "admin")).body(Map.of("reason", "read the transcripts, it is better"))
                .post("{name}/rollouts/{id}/promotion", prompt, id).then().statusCode(200)
                .body("status", equalTo("promoted")).body("ended_by", equalTo("carol"));
        api(project).header("Authorization", TestCallers.bearer("carol")).body(Map.of())
                .post("{name}/rollouts/{id}/rollback", prompt, id).then().statusCode(409).contentType("application/problem+json");
        await().atMost(WAIT).untilAsserted(() -> assertThat(PromptFixture.labelled(project, prompt, "production")).isEqualTo(2));
        api(project).get("{name}/rollouts/{id}", prompt, "not-a-uuid").then().statusCode(404);
        api(project).queryParam("status", "gone").get("").then().statusCode(400);
        api(project).queryParam("status", "promoted").get("").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].id", equalTo(id));
        // a request for a prompt that has no production version is recorded as refused, once
        String other = "unlabelled";
        given().baseUri(io.flywheel.deploy.support.RegistryFixture.url()).contentType(ContentType.JSON).queryParam("project", project)
                .body(Map.of("name", other, "type", "text", "prompt", "hi")).post("/api/v1/prompts").then().statusCode(201);
        publish(List.of(cloudEvent(retrainTopic, UUID.randomUUID().toString(), project + "/" + other, PromptPromotionRequested.TYPE,
                requested(project, other, 1))));
        await().atMost(WAIT).untilAsserted(() -> api(project).get("{name}/rollouts", other).then()
                .body("items", hasSize(1)).body("items[0].status", equalTo("refused"))
                .body("items[0].end_reason", containsString("has no 'production' version")));
    }

    private void publish(List<ProducerRecord<String, String>> records) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(records).awaitCompletion();
        }
    }
}
