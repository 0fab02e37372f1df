package io.flywheel.retrain.runner;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The kubernetes runner's life cycle against fabric8's mock API server in CRUD mode (it keeps what it is sent). */
@EnableKubernetesMockClient(crud = true)
class KubernetesRunnerCrudTest {

    private static final String NS = "training";

    KubernetesClient client;

    @TempDir
    Path dir;

    private KubernetesTestSupport.DirectoryStaging staging;
    private KubernetesRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        staging = new KubernetesTestSupport.DirectoryStaging(Files.createDirectories(dir.resolve("s3")));
        runner = new KubernetesRunner(client, KubernetesTestSupport.spec(NS), staging, Duration.ofMillis(200));
    }

    @AfterEach
    void tearDown() {
        runner.close();
    }

    private Job job(String jobId) {
        return client.batch().v1().jobs().inNamespace(NS).withName(TrainingJobSpec.jobName(jobId)).get();
    }

    @Test
    void aCompletedJobIsExitCodeZeroWithTheOutputsCopiedAndEverythingCleanedUp() throws Exception {
        String id = KubernetesTestSupport.newJobId();
        List<String> log = RunnersTestSupport.log();
        TrainingRequest request = KubernetesTestSupport.request(id, Files.createDirectories(dir.resolve("work")), log, Duration.ofMinutes(10));

        TrainingRun run = runner.start(request);
        assertThat(job(id).getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs())
                .contains("s3://test/jobs/" + id + "/training-set.jsonl");
        assertThat(staging.root.resolve("jobs/" + id + "/training-set.jsonl")).exists();
        assertThat(run.result()).isNotDone();

        staging.trainerWrites(id);
        client.batch().v1().jobs().inNamespace(NS).resource(KubernetesTestSupport.withStatus(job(id), KubernetesTestSupport.complete()))
                .updateStatus();

        assertThat(run.result().get(10, TimeUnit.SECONDS)).isEqualTo(TrainingResult.ok());
        assertThat(request.output().resolve(TrainerOutput.LINEAR_FILE)).exists();
        assertThat(request.output().resolve(TrainerOutput.METRICS_FILE)).hasContent("{\"roc_auc\": 0.9}");
        assertThat(job(id)).isNull();
        assertThat(staging.staged(id)).isFalse();
        assertThat(log).anyMatch(l -> l.startsWith("created Job training/retrain-" + id));
    }

    @Test
    void aJobDeletedBySomeoneElseFailsTheRunSayingSo() throws Exception {
        String id = KubernetesTestSupport.newJobId();
        TrainingRun run = runner.start(KubernetesTestSupport.request(id, dir, RunnersTestSupport.log(), null));

        client.batch().v1().jobs().inNamespace(NS).withName(TrainingJobSpec.jobName(id)).delete();

        TrainingResult result = run.result().get(10, TimeUnit.SECONDS);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.cancelled()).isFalse();
        assertThat(result.error()).contains("was deleted before it finished (not by this service)");
        assertThat(staging.staged(id)).isFalse();
    }

    @Test
    void cancellingDeletesTheJobAndEndsTheRunAsCancelled() throws Exception {
        String id = KubernetesTestSupport.newJobId();
        TrainingRun run = runner.start(KubernetesTestSupport.request(id, dir, RunnersTestSupport.log(), null));
        assertThat(job(id)).isNotNull();

        run.cancel();
        run.cancel();

        assertThat(run.result().get(10, TimeUnit.SECONDS)).isEqualTo(TrainingResult.cancelledRun());
        assertThat(job(id)).isNull();
        assertThat(staging.staged(id)).isFalse();
    }

    @Test
    void aFailedJobIsAFailureAndANewAttemptReplacesAnEarlierAttemptsJob() throws Exception {
        String id = KubernetesTestSupport.newJobId();
        runner.start(KubernetesTestSupport.request(id, Files.createDirectories(dir.resolve("a")), RunnersTestSupport.log(), null));
        String firstUid = job(id).getMetadata().getUid();
        // the worker that started it died; the retrain job's next attempt starts the trainer again
        TrainingRun second = runner.start(KubernetesTestSupport.request(id, Files.createDirectories(dir.resolve("b")),
                RunnersTestSupport.log(), null));
        assertThat(job(id).getMetadata().getUid()).isNotEqualTo(firstUid);

        client.batch().v1().jobs().inNamespace(NS).resource(KubernetesTestSupport.withStatus(job(id),
                KubernetesTestSupport.failed("BackoffLimitExceeded", "Job has reached the specified backoff limit"))).updateStatus();

        TrainingResult result = second.result().get(10, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isEqualTo(TrainingResult.FAILED);
        assertThat(result.error()).startsWith("the training Job failed (BackoffLimitExceeded)");
        await().atMost(Duration.ofSeconds(5)).until(() -> job(id) == null);
    }
}
