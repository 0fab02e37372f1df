package io.flywheel.retrain.job;

import io.flywheel.retrain.code.WebhookSignatures;
import io.flywheel.retrain.runner.LocalProcessRunner;
import io.flywheel.retrain.storage.ObjectStore;
import io.flywheel.retrain.support.GitRepos;
import io.flywheel.retrain.support.LabelledSegments;
import io.flywheel.retrain.support.Policies;
import io.flywheel.retrain.support.RegistryFixture;
import io.flywheel.retrain.support.Rows;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * A code change as a trigger, over the real PostgreSQL, S3 and registry and real local git
 * repositories: a signed GitHub push of the second of two commits starts a job that checks that commit
 * out, runs the trainer's own tests from it, trains with the trainer it holds, beats the champion and
 * registers the candidate with the commit in its lineage; a commit whose tests fail ends its job
 * failed with their output and nothing trained; a bad signature is a 401 and starts nothing.
 */
@QuarkusTest
class CodeTriggerLoopTest {

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "retrain.webhooks.secret")
    String secret;

    @TempDir
    Path dir;

    @TestHTTPResource("/api/v1/retrain/webhooks/github")
    URI githubWebhook;

    /**
     * The trainer's repository: {@code train.sh} says which revision it is and runs the reference
     * trainer (linear-model's TrainerMain, in a JVM of its own, under the trainer contract);
     * {@code test.sh} is its test suite, passing.
     */
    private static Map<String, String> trainerFiles(String revision) {
        String classpath = LocalProcessRunner.discoverClasspath();
        assertThat(classpath).as("linear-model's jars, for the trainer script").isNotBlank();
        return Map.of(
                "VERSION", revision + "\n",
                "train.sh", """
                        #!/bin/sh
                        echo "trainer code revision: $(cat VERSION)"
                        exec '%s' -Xmx128m -XX:TieredStopAtLevel=1 -cp '%s' io.flywheel.linear.TrainerMain "$@"
                        """.formatted(LocalProcessRunner.currentJava(), classpath),
                "test.sh", """
                        #!/bin/sh
                        echo "test_reads_version ... ok ($(cat VERSION))"
                        echo "1 test passed"
                        """);
    }

    private static String githubPush(Path bare, String branch, String commit) {
        return """
                {"ref": "refs/heads/%s", "before": "0000000000000000000000000000000000000001", "after": "%s", "deleted": false,
                 "repository": {"name": "churn-trainer", "clone_url": "file://%s", "html_url": "https://git.example/ml/churn-trainer"},
                 "pusher": {"name": "dana"}}""".formatted(branch, commit, bare);
    }

    private io.restassured.response.ValidatableResponse sendGithub(String body, String signature) {
        return given().header("X-GitHub-Event", "push").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", signature).contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/retrain/webhooks/github").then();
    }

    private static JsonPath awaitJob(String jobId, String state) {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                given().get("/api/v1/retrain/jobs/" + jobId).then().statusCode(200).body("state", equalTo(state)));
        return given().get("/api/v1/retrain/jobs/" + jobId).then().extract().jsonPath();
    }

    @Test
    void aSignedPushTrainsAtItsCommitAfterTheTrainersTestsAndACommitWhoseTestsFailTrainsNothing() throws Exception {
        GitRepos.assumeGit();
        String model = "code-" + UUID.randomUUID().toString().substring(0, 8);
        GitRepos.Repo repo = GitRepos.create(dir, "churn-trainer");
        String first = repo.commit("the trainer", trainerFiles("v1"));
        String second = repo.commit("the trainer, second revision", Map.of("VERSION", "v2\n"));

        RegistryFixture.createModel(model);
        int champion = RegistryFixture.registerChampion(model, RegistryFixture.trained(300, 91, List.of("noise")));
        LabelledSegments.write(store, model, Rows.churn(300, 17), Instant.now().minus(Duration.ofMinutes(10)));
        Policies.put(model, """
                {"cooldown": "PT0S", "data": {"window": "P1D"},
                 "trainer": {"code": {"repository": "%s", "branch": "main",
                                      "command": ["/bin/sh", "train.sh"], "test_command": ["/bin/sh", "test.sh"]},
                             "params": {"task": "binary-classification", "target": "churned"}},
                 "evaluation": {"metric": "roc_auc", "margin": 0.02}}""".formatted(repo.bare()));

        // a push to another branch of the repository, and a push to a repository no policy names: answered, ignored
        String other = githubPush(repo.bare(), "feature", second);
        sendGithub(other, WebhookSignatures.githubHeader(secret, other.getBytes(StandardCharsets.UTF_8)))
                .statusCode(200).body("status", equalTo("ignored")).body("jobs", hasSize(0))
                .body("reason", containsString("a push to branch 'feature'"))
                .body("reason", containsString("'main' (" + model + ")"));
        String gitlabOther = """
                {"object_kind": "push", "ref": "refs/heads/feature", "checkout_sha": "%s",
                 "project": {"git_http_url": "file://%s", "web_url": "https://git.example/ml/churn-trainer"}}""".formatted(second, repo.bare());
        given().header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", secret).contentType("application/json").body(gitlabOther)
                .post("/api/v1/retrain/webhooks/gitlab").then().statusCode(200)
                .body("status", equalTo("ignored")).body("reason", containsString("a push to branch 'feature'"));
        String elsewhere = githubPush(dir.resolve("somebody-else.git"), "main", second);
        sendGithub(elsewhere, WebhookSignatures.githubHeader(secret, elsewhere.getBytes(StandardCharsets.UTF_8)))
                .statusCode(200).body("status", equalTo("ignored")).body("reason", containsString("no retrain policy's trainer.code names this repository"));

        // a bad signature: 401, nothing recorded
        String push = githubPush(repo.bare(), "main", second);
        sendGithub(push, WebhookSignatures.githubHeader("not-the-secret", push.getBytes(StandardCharsets.UTF_8)))
                .statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:unauthorized"))
                .body("detail", containsString("X-Hub-Signature-256 does not match the body"));
        given().queryParam("model", model).get("/api/v1/retrain/triggers").then().statusCode(200).body("items", hasSize(0));

        // the signed push of the second commit
        JsonPath answer = sendGithub(push, WebhookSignatures.githubHeader(secret, push.getBytes(StandardCharsets.UTF_8)))
                .statusCode(202).body("status", equalTo("accepted")).body("commit", equalTo(second)).body("branch", equalTo("main"))
                .body("jobs", hasSize(1)).body("jobs[0].model", equalTo(model))
                .extract().jsonPath();
        String jobId = answer.getString("jobs[0].job_id");
        JsonPath job = awaitJob(jobId, "promotion-requested");

        assertThat(job.getString("trigger.kind")).isEqualTo("code");
        assertThat(job.getString("trigger.actor")).isEqualTo("github:dana");
        assertThat(job.getString("code.repository")).isEqualTo(repo.bare().toString());
        assertThat(job.getString("code.branch")).isEqualTo("main");
        assertThat(job.getString("code.commit")).isEqualTo(second);
        assertThat(job.getString("trainer")).isEqualTo("churn-trainer");
        assertThat(job.getList("transitions.to", String.class)).containsExactly("pending", "preparing-data", "training", "evaluating",
                "registering", "promotion-requested");
        List<String> log = job.getList("log.message", String.class);
        assertThat(log)
                .contains("checked out " + repo.bare() + " at " + second + " (branch main)")
                .contains("tests: test_reads_version ... ok (v2)")
                .contains("the trainer's tests passed at commit " + second.substring(0, 12))
                .contains("trainer code revision: v2")
                .noneMatch(m -> m.contains("v1"));
        assertThat(log.indexOf("the trainer's tests passed at commit " + second.substring(0, 12)))
                .as("the tests ran before the trainer").isLessThan(log.indexOf("trainer code revision: v2"));
        assertThat(job.getDouble("evaluation.candidate.roc_auc")).isGreaterThan(job.getDouble("evaluation.champion.roc_auc") + 0.02);
        assertThat(job.getInt("champion_version")).isEqualTo(champion);

        JsonPath version = RegistryFixture.version(model, job.getInt("candidate_version"));
        assertThat(version.getString("status")).isEqualTo("ready");
        assertThat(version.getString("lineage.code.repository")).isEqualTo(repo.bare().toString());
        assertThat(version.getString("lineage.code.commit")).isEqualTo(second).isNotEqualTo(first);
        assertThat(version.getString("lineage.retrain_job")).isEqualTo(jobId);
        assertThat(version.getString("tags.'retrain.trigger'")).isEqualTo("code");

        // the same push delivered again (a new delivery id): refused as a duplicate of that commit, no job
        sendGithub(push, WebhookSignatures.githubHeader(secret, push.getBytes(StandardCharsets.UTF_8)))
                .statusCode(200).body("status", equalTo("refused")).body("jobs", hasSize(0))
                .body("refused[0].rule", equalTo("duplicate"));

        // a third commit whose own tests fail, reported by hand: the job fails with their output, nothing is trained
        String third = repo.commit("breaks a test", Map.of("VERSION", "v3\n", "test.sh", """
                #!/bin/sh
                echo "test_feature_count ... FAIL"
                echo "AssertionError: expected 4 features, got 3"
                exit 1
                """));
        String failing = given().contentType("application/json")
                .body(Map.of("model", model, "repository", "file://" + repo.bare(), "commit", third, "branch", "main"))
                .post("/api/v1/retrain/code-pushes").then().statusCode(201)
                .body("trigger.kind", equalTo("code")).body("code.commit", equalTo(third))
                .extract().path("id");
        JsonPath failed = awaitJob(failing, "failed");

        assertThat(failed.getString("error")).startsWith("the trainer's tests failed (exit code 1) at commit " + third)
                .contains("test_feature_count ... FAIL").contains("AssertionError: expected 4 features, got 3");
        assertThat(failed.getList("transitions.to", String.class)).containsExactly("pending", "preparing-data", "failed");
        assertThat(failed.getList("log.message", String.class))
                .contains("tests: AssertionError: expected 4 features, got 3")
                .noneMatch(m -> m.startsWith("trainer code revision"))
                .noneMatch(m -> m.startsWith("training set"));
        assertThat(failed.getString("candidate_version")).isNull();
        assertThat(failed.getString("data.dataset_version")).as("no training set was made for it").isNull();
    }

    @Test
    void aPushReportedByHandNeedsAPolicyWithTrainerCodeAndItsRepository() {
        String model = "code-" + UUID.randomUUID().toString().substring(0, 8);
        Policies.put(model, Policies.churn(""));
        given().contentType("application/json").body(Map.of("model", model, "commit", "0123abcd"))
                .post("/api/v1/retrain/code-pushes").then().statusCode(400)
                .body("type", equalTo("urn:flywheel:problem:invalid-request"))
                .body("detail", containsString("has no trainer.code"));
        given().contentType("application/json").body(Map.of("model", model, "commit", "main~1"))
                .post("/api/v1/retrain/code-pushes").then().statusCode(400)
                .body("detail", containsString("commit must be a commit id: 7 to 64 hex digits"));

        Policies.put(model, """
                {"trainer": {"code": {"repository": "/srv/git/churn-trainer.git", "command": ["/bin/sh", "train.sh"]},
                             "params": {"task": "binary-classification", "target": "churned"}}}""");
        given().contentType("application/json").body(Map.of("model", model, "commit", "0123abcd", "repository", "/srv/git/another.git"))
                .post("/api/v1/retrain/code-pushes").then().statusCode(400)
                .body("detail", containsString("repository /srv/git/another.git is not the one the policy of model '" + model
                        + "' trains from (/srv/git/churn-trainer.git)"));
        given().get("/api/v1/retrain/policies/" + model).then().statusCode(200)
                .body("trainer.name", equalTo("churn-trainer"))
                .body("trainer.runner", equalTo("local-process"))
                .body("trainer.code.branch", equalTo("main"))
                .body("trainer.code.test_command", equalTo(null));
    }

    @Test
    void aGitlabPushHookNeedsItsTokenAndAnUnsignedGithubCallIsRefused() throws Exception {
        String hook = """
                {"object_kind": "push", "ref": "refs/heads/main", "checkout_sha": "0123456789abcdef0123456789abcdef01234567",
                 "project": {"git_http_url": "https://gitlab.example/nobody/%s.git"}}""".formatted(UUID.randomUUID());
        given().header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", "wrong").contentType("application/json").body(hook)
                .post("/api/v1/retrain/webhooks/gitlab").then().statusCode(401)
                .body("type", equalTo("urn:flywheel:problem:unauthorized"))
                .body("detail", equalTo("X-Gitlab-Token is not the webhook secret"));
        given().header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", secret).contentType("application/json").body(hook)
                .post("/api/v1/retrain/webhooks/gitlab").then().statusCode(200)
                .body("status", equalTo("ignored"))
                .body("reason", containsString("no retrain policy's trainer.code names this repository"));

        given().header("X-GitHub-Event", "push").contentType("application/json").body("{}")
                .post("/api/v1/retrain/webhooks/github").then().statusCode(401)
                .body("detail", containsString("X-Hub-Signature-256 is missing"));
        // the webhooks need no internal token (RestAssured here would add one): the signature is their credential
        String ping = "{\"zen\": \"Design for failure.\"}";
        HttpResponse<String> pong = HttpClient.newHttpClient().send(HttpRequest.newBuilder(githubWebhook)
                .header("X-GitHub-Event", "ping")
                .header("X-Hub-Signature-256", WebhookSignatures.githubHeader(secret, ping.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ping)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pong.statusCode()).as(pong.body()).isEqualTo(200);
        assertThat(JsonPath.from(pong.body()).getString("reason")).isEqualTo("a ping event: only push events start a retraining");
        HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(githubWebhook)
                .header("X-GitHub-Event", "ping").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ping)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(JsonPath.from(unsigned.body()).getString("detail")).contains("X-Hub-Signature-256 is missing");
        // every other route still wants the internal token
        HttpResponse<String> byHand = HttpClient.newHttpClient().send(HttpRequest.newBuilder(githubWebhook.resolve("/api/v1/retrain/code-pushes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"x\", \"commit\": \"0123abcd\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(byHand.statusCode()).isEqualTo(401);
    }
}
