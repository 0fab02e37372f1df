package io.flywheel.retrain.runner;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flywheel.kubeapi.KubeApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import static org.awaitility.Awaitility.await;

/**
 * The kubernetes runner against a real kube-apiserver (v1.20.2, kube-apiserver-test/README.md), as
 * retrain-service's ServiceAccount with only the verbs the runner needs. The server validates and
 * defaults the Job and enforces RBAC, but runs no pods: the test plays the trainer (its outputs in the
 * staging area) and the Job controller (the Job's status).
 */
class KubernetesRunnerApiServerTest {

    private static final String NS = "flywheel";
    private static KubeApiServer server;
    private static KubernetesClient retrain;

    @TempDir
    Path dir;

    private KubernetesTestSupport.DirectoryStaging staging;
    private KubernetesRunner runner;

    @BeforeAll
    static void start() {
        server = KubeApiServer.start();
        KubernetesClient admin = server.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        for (String account : List.of("retrain-service", "nobody")) {
            admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName(account)
                    .endMetadata().build()).create();
        }
        // the least the runner needs: jobs to run and follow them; pods (list) and pods/log (get) for the trainer's log
        admin.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("retrain-runner").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("batch").withResources("jobs")
                                .withVerbs("create", "get", "list", "watch", "delete").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("list").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("pods/log").withVerbs("get").build())
                .build()).create();
        admin.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata().withName("retrain-runner")
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "retrain-runner")
                .addNewSubject().withKind("ServiceAccount").withName("retrain-service").withNamespace(NS).endSubject()
                .build()).create();
        retrain = server.clientFor(NS, "retrain-service");
    }

    @AfterAll
    static void stop() {
        if (retrain != null) {
            retrain.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        staging = new KubernetesTestSupport.DirectoryStaging(Files.createDirectories(dir.resolve("s3")));
        runner = new KubernetesRunner(retrain, KubernetesTestSupport.spec(NS), staging, Duration.ofMillis(500));
    }

    @AfterEach
    void tearDown() {
        runner.close();
    }

    private static Job job(String jobId) {
        return server.admin().batch().v1().jobs().inNamespace(NS).withName(TrainingJobSpec.jobName(jobId)).get();
    }

    /** What the Job controller would do: write the Job's status (the server runs none). */
    private static void finish(String jobId, JobStatus status) {
        server.admin().batch().v1().jobs().inNamespace(NS).resource(KubernetesTestSupport.withStatus(job(jobId), status)).updateStatus();
    }

    @Test
    void aJobTheServerAcceptsRunsToCompletionAndIsCleanedUp() throws Exception {
        String id = KubernetesTestSupport.newJobId();
        List<String> log = RunnersTestSupport.log();
        TrainingRequest request = KubernetesTestSupport.request(id, Files.createDirectories(dir.resolve("work")), log, Duration.ofMinutes(30));

        TrainingRun run = runner.start(request);

        Job created = job(id);
        // the server validated it and filled in what a Job controller needs
        assertThat(created.getSpec().getSelector().getMatchLabels()).containsKey("controller-uid");
        assertThat(created.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("job-name", TrainingJobSpec.jobName(id))
                .containsEntry(TrainingJobSpec.JOB_LABEL, id);
        assertThat(created.getSpec().getActiveDeadlineSeconds()).isBetween(1790L, 1800L);
        assertThat(created.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .filteredOn(e -> e.getName().startsWith("AWS_") && e.getName().endsWith("KEY_ID") || e.getName().endsWith("ACCESS_KEY"))
                .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("flywheel-s3"));
        assertThat(run.result()).isNotDone();

        staging.trainerWrites(id);
        finish(id, KubernetesTestSupport.running());
        assertThat(run.result()).isNotDone();
        finish(id, KubernetesTestSupport.complete());

        assertThat(run.result().get(20, TimeUnit.SECONDS)).isEqualTo(TrainingResult.ok());
        assertThat(request.output().resolve(TrainerOutput.LINEAR_FILE)).exists();
        assertThat(request.output().resolve(TrainerOutput.METRICS_FILE)).exists();
        await().atMost(Duration.ofSeconds(10)).until(() -> job(id) == null);
        assertThat(staging.staged(id)).isFalse();
    }

    @Test
    void aFailedJobIsAFailureSayingWhy() throws Exception {
        String id = KubernetesTestSupport.newJobId();
        TrainingRun run = runner.start(KubernetesTestSupport.request(id, dir, RunnersTestSupport.log(), Duration.ofMinutes(5)));

        finish(id, KubernetesTestSupport.failed("DeadlineExceeded", "Job was active longer than specified deadline"));

        TrainingResult result = run.result().get(20, TimeUnit.SECONDS);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).startsWith("the trainer ran past the Job's deadline (DeadlineExceeded)");
        await().atMost(Duration.ofSeconds(10)).until(() -> job(id) == null);
    }

    @Test
    void cancellingDeletesTheJob() throws Exception {
        String id = KubernetesTestSupport.newJobId();
        TrainingRun run = runner.start(KubernetesTestSupport.request(id, dir, RunnersTestSupport.log(), null));
        assertThat(job(id)).isNotNull();

        run.cancel();

        assertThat(run.result().get(20, TimeUnit.SECONDS)).isEqualTo(TrainingResult.cancelledRun());
        assertThat(job(id)).isNull();
        assertThat(staging.staged(id)).isFalse();
    }

    @Test
    void aJobDeletedBySomeoneElseEndsTheRun() throws Exception {
        String id = KubernetesTestSupport.newJobId();
        TrainingRun run = runner.start(KubernetesTestSupport.request(id, dir, RunnersTestSupport.log(), null));

        server.admin().batch().v1().jobs().inNamespace(NS).withName(TrainingJobSpec.jobName(id)).delete();

        assertThat(run.result().get(20, TimeUnit.SECONDS).error()).contains("was deleted before it finished");
    }

    @Test
    void aServiceAccountWithoutTheVerbsIsToldWhatItNeeds() throws Exception {
        try (KubernetesClient nobody = server.clientFor(NS, "nobody")) {
            KubernetesRunner refused = new KubernetesRunner(nobody, KubernetesTestSupport.spec(NS), staging, Duration.ofMillis(500));
            String id = KubernetesTestSupport.newJobId();

            assertThatThrownBy(() -> refused.start(KubernetesTestSupport.request(id, dir, RunnersTestSupport.log(), null)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("needs create, get, list, watch and delete on jobs in namespace flywheel");
            assertThat(staging.staged(id)).isFalse();
            refused.close();
        }
    }
}
