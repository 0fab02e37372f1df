package io.flywheel.retrain.runner;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobListBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flywheel.retrain.resilience.TransientFailure;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a cluster can do to a run that a real API server won't on request: 500s, a watch that closes, a Forbidden read. */
@EnableKubernetesMockClient
class KubernetesRunnerFailuresTest {

    private static final String NS = "training";
    private static final String JOBS = "/apis/batch/v1/namespaces/" + NS + "/jobs";

    KubernetesMockServer server;
    KubernetesClient mockClient;
    /** The mock's client with one retry of a failed request instead of ten, so the 500s are seen quickly. */
    private KubernetesClient client;

    @TempDir
    Path dir;

    private KubernetesTestSupport.DirectoryStaging staging;
    private KubernetesRunner runner;
    private String id;
    private String name;
    private TrainingRequest request;
    private List<String> log;

    @BeforeEach
    void setUp() throws Exception {
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(mockClient.getConfiguration())
                .withRequestRetryBackoffLimit(1).withRequestRetryBackoffInterval(10).build()).build();
        staging = new KubernetesTestSupport.DirectoryStaging(Files.createDirectories(dir.resolve("s3")));
        runner = new KubernetesRunner(client, KubernetesTestSupport.spec(NS), staging, Duration.ofMillis(100));
        id = KubernetesTestSupport.newJobId();
        name = TrainingJobSpec.jobName(id);
        log = RunnersTestSupport.log();
        request = KubernetesTestSupport.request(id, Files.createDirectories(dir.resolve("work")), log, null);
        server.expect().get().withPath(JOBS + "?labelSelector=" + TrainingJobSpec.JOB_LABEL.replace("/", "%2F") + "%3D" + id)
                .andReturn(200, new JobListBuilder().build()).always();
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods?labelSelector="
                + TrainingJobSpec.JOB_LABEL.replace("/", "%2F") + "%3D" + id).andReturn(200, new PodListBuilder().build()).always();
        server.expect().delete().withPath(JOBS + "/" + name).andReturn(200, new StatusBuilder().withStatus("Success").build()).always();
    }

    @AfterEach
    void tearDown() {
        runner.close();
        client.close();
    }

    private Job job(io.fabric8.kubernetes.api.model.batch.v1.JobStatus status) {
        Job job = KubernetesTestSupport.spec(NS).build(request, "s3://test/d", "s3://test/o");
        job.getMetadata().setResourceVersion("1");
        return KubernetesTestSupport.withStatus(job, status);
    }

    @Test
    void anApiServer500AtCreationIsTransientSoTheJobIsTriedAgainLater() {
        server.expect().post().withPath(JOBS).andReturn(500, new StatusBuilder().withCode(500).withMessage("etcdserver: leader changed").build())
                .always();

        assertThatThrownBy(() -> runner.start(request))
                .isInstanceOf(RunnerUnavailableException.class)
                .satisfies(e -> assertThat(TransientFailure.is(e)).isTrue())
                .hasMessageContaining("etcdserver: leader changed");
        assertThat(staging.staged(id)).isFalse();
    }

    @Test
    void forbiddenAtCreationFailsTheJobNamingTheVerbsNeeded() {
        server.expect().post().withPath(JOBS).andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("jobs.batch is forbidden: User \"system:serviceaccount:training:retrain-service\" cannot create resource").build())
                .always();

        assertThatThrownBy(() -> runner.start(request))
                .isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(TransientFailure.is(e)).isFalse())
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("needs create, get, list, watch and delete on jobs in namespace training");
    }

    @Test
    void aWatchClosedMidRunAndA500OnTheNextReadLoseNothing() throws Exception {
        server.expect().post().withPath(JOBS).andReturn(201, job(null)).once();
        server.expect().get().withPath(JOBS + "/" + name).andReturn(200, job(KubernetesTestSupport.running())).once();
        // the first watch delivers nothing and is closed by the server with 410 Gone (its version is too old)
        server.expect().get().withPath(JOBS + "?allowWatchBookmarks=true&fieldSelector=metadata.name%3D" + name + "&resourceVersion=1&watch=true")
                .andUpgradeToWebSocket().open().waitFor(100)
                .andEmit(new WatchEvent(new StatusBuilder().withCode(410).withReason("Expired").withMessage("too old resource version").build(), "ERROR"))
                .done().once();
        // the client retries a 5xx itself (its request retries); more of them than it tries become a failed read, read again later
        server.expect().get().withPath(JOBS + "/" + name).andReturn(500, new StatusBuilder().withCode(500).withMessage("boom").build()).times(2);
        server.expect().get().withPath(JOBS + "/" + name).andReturn(200, job(KubernetesTestSupport.complete())).once();
        staging.trainerWrites(id);

        TrainingRun run = runner.start(request);

        assertThat(run.result().get(10, TimeUnit.SECONDS)).isEqualTo(TrainingResult.ok());
        assertThat(request.output().resolve(TrainerOutput.LINEAR_FILE)).exists();
        assertThat(log).anyMatch(l -> l.contains("the watch of Job " + name + " closed"));
        assertThat(log).anyMatch(l -> l.contains("could not read Job " + name + " (boom)"));
    }

    @Test
    void forbiddenWhileFollowingTheJobEndsTheRunSayingSo() throws Exception {
        server.expect().post().withPath(JOBS).andReturn(201, job(null)).once();
        server.expect().get().withPath(JOBS + "/" + name).andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("jobs.batch \"" + name + "\" is forbidden").build()).always();

        TrainingResult result = runner.start(request).result().get(10, TimeUnit.SECONDS);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).contains("refused to read Job " + name + " (HTTP 403)");
    }
}
