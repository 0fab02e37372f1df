package io.flywheel.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.flywheel.deploy.rest.DeploymentResource;
import io.flywheel.deploy.rest.InferenceResource;
import io.flywheel.deploy.support.DeployApi;
import io.flywheel.deploy.support.RegistryFixture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Kubernetes serving against a real kube-apiserver (v1.20.2, kube-apiserver-test/README.md), as
 * deploy-service's ServiceAccount with only the verbs the target uses: the live path (promotions and a
 * rollback through deploy's API move staging's primary version, and the relay rolls the model's
 * Deployment after it) and the target on its own. The server validates and defaults the Deployment,
 * bumps its generation on every change and enforces RBAC, but runs no controllers or pods: the test
 * writes the Deployment's status fields, as the Deployment controller would.
 */
@QuarkusTest
@TestProfile(KubernetesServingApiServerTest.OnKubernetes.class)
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = true)
class KubernetesServingApiServerTest {

    public static class OnKubernetes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deploy.kubernetes.enabled", "true", "deploy.kubernetes.environment", "staging",
                    "deploy.kubernetes.sync-interval", "1s", "deploy.kubernetes.rollout-timeout", "30s",
                    "deploy.kubernetes.image", "registry.example.com/flywheel/serving:0.1");
        }
    }

    @TestHTTPEndpoint(DeploymentResource.class)
    @TestHTTPResource
    URL deployments;

    @TestHTTPEndpoint(InferenceResource.class)
    @TestHTTPResource
    URL v2;

    @BeforeEach
    void serverStarted() {
        KubeApiServerResource.assumeStarted();
    }

    private static Deployment workload(String model) {
        return KubeApiServerResource.server().admin().apps().deployments().inNamespace(KubeApiServerResource.NAMESPACE)
                .withName(ServingWorkload.name(model)).get();
    }

    /**
     * Waits for the workload to run {@code version}, then reports it rolled out. Meanwhile it completes the
     * rollout of every Deployment in the namespace, as the Deployment controller would: the relay may be
     * waiting on another model's (one promoted by events of earlier test classes) before it reaches this one.
     */
    private static void rolledOutAt(String model, int version) {
        rolledOutAt(model, version, null, Duration.ofSeconds(90));
    }

    /** The same, leaving the rollout of {@code stuck} (if any) alone, as a controller whose pods never start would. */
    private static void rolledOutAt(String model, int version, String stuck, Duration within) {
        await().atMost(within).until(() -> {
            KubeApiServerResource.server().admin().apps().deployments().inNamespace(KubeApiServerResource.NAMESPACE).list()
                    .getItems().stream().filter(d -> stuck == null || !d.getMetadata().getName().equals(ServingWorkload.name(stuck)))
                    .forEach(KubernetesServingApiServerTest::completeRollout);
            return workload(model) != null && Integer.valueOf(version).equals(ServingWorkload.version(workload(model)));
        });
        if (!model.equals(stuck)) {
            completeRollout(workload(model));
        }
    }

    private static void completeRollout(Deployment d) {
        long generation = d.getMetadata().getGeneration();
        if (d.getStatus() != null && d.getStatus().getObservedGeneration() != null && d.getStatus().getObservedGeneration() == generation) {
            return;
        }
        d.setStatus(RolloutStatusTest.status(generation, d.getSpec().getReplicas(), d.getSpec().getReplicas(), d.getSpec().getReplicas()));
        try {
            KubeApiServerResource.server().admin().apps().deployments().inNamespace(KubeApiServerResource.NAMESPACE).resource(d).updateStatus();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // the relay changed it meanwhile: the next poll completes the newer generation
        }
    }

    @Test
    void promotionsAndARollbackRollTheModelsDeployment() {
        DeployApi api = new DeployApi(deployments, v2);
        String model = RegistryFixture.model("k8s-serving");
        int v1 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.80), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.82), 0.9);

        api.promoted(model, "staging", v1, "replace");
        rolledOutAt(model, v1);
        assertThat(KubeApiServerResource.server().admin().services().inNamespace(KubeApiServerResource.NAMESPACE)
                .withName(ServingWorkload.name(model)).get()).isNotNull();

        api.promoted(model, "staging", v2, "replace");
        rolledOutAt(model, v2);
        assertThat(ServingWorkload.previous(workload(model))).isEqualTo(v1);

        api.rollback(model, "staging", "worse in staging", "tester").then().statusCode(200);
        rolledOutAt(model, v1);
        assertThat(ServingWorkload.previous(workload(model))).isEqualTo(v2);
    }

    /**
     * A rollout no controller ever completes (an image that does not pull) holds one of the relay's
     * parallel rollouts for its 30 s timeout, not the other models': a model promoted after it is rolled
     * well within that time. Only the second model's rollout is completed here.
     */
    @Test
    void aStuckRolloutDoesNotHoldUpAnotherModels() {
        DeployApi api = new DeployApi(deployments, v2);
        String stuck = RegistryFixture.model("k8s-stuck");
        String other = RegistryFixture.model("k8s-other");
        int stuckVersion = RegistryFixture.churnVersion(stuck, Map.of("roc_auc", 0.80), 0.1);
        int otherVersion = RegistryFixture.churnVersion(other, Map.of("roc_auc", 0.80), 0.1);

        api.promoted(stuck, "staging", stuckVersion, "replace");
        // every other Deployment of the namespace (earlier test classes' models too) is rolled out by "the controller"
        rolledOutAt(stuck, stuckVersion, stuck, Duration.ofSeconds(90));
        api.promoted(other, "staging", otherVersion, "replace");
        rolledOutAt(other, otherVersion, stuck, Duration.ofSeconds(20));
        assertThat(RolloutStatus.of(workload(stuck)).ended()).as("the first model's rollout is still waiting").isFalse();
    }

    // The target on its own, in a namespace of its own, as a ServiceAccount with only the verbs it uses. These run in this
    // class because a second kube-api-test server in one JVM fails its TLS handshakes (its CA does not match the first's).

    private static final String NS = "serving";
    private static KubernetesClient serviceAccount;

    private static synchronized KubernetesClient targetClient() {
        if (serviceAccount == null) {
            KubeApiServerResource.createNamespace(KubeApiServerResource.server().admin(), NS);
            KubeApiServerResource.grantServingTarget(KubeApiServerResource.server().admin(), NS, "deploy-service");
            serviceAccount = KubeApiServerResource.server().clientFor(NS, "deploy-service");
        }
        return serviceAccount;
    }

    @AfterAll
    static void closeTarget() {
        if (serviceAccount != null) {
            serviceAccount.close();
        }
    }

    private static Deployment deployment(String model) {
        return KubeApiServerResource.server().admin().apps().deployments().inNamespace(NS).withName(ServingWorkload.name(model)).get();
    }

    /** What the Deployment controller would do once the pods of the generation after {@code after} are up. */
    private static void rolledOutInNs(String model, long after) {
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment(model) != null && deployment(model).getMetadata().getGeneration() > after);
        Deployment d = deployment(model);
        d.setStatus(RolloutStatusTest.status(d.getMetadata().getGeneration(), 2, 2, 2));
        KubeApiServerResource.server().admin().apps().deployments().inNamespace(NS).resource(d).updateStatus();
    }

    @Test
    void rollsToAVersionWaitsForItAndRollsBack() throws Exception {
        KubernetesServingTarget target = new KubernetesServingTarget(targetClient(), ServingWorkloadTest.WORKLOAD, Duration.ofSeconds(20));

        CompletableFuture<ServingTarget.Rollout> first = CompletableFuture.supplyAsync(() -> target.rollTo("churn", 1));
        rolledOutInNs("churn", 0);
        ServingTarget.Rollout v1 = first.get(20, TimeUnit.SECONDS);
        assertThat(v1.done()).isTrue();
        assertThat(v1.previous()).isNull();
        assertThat(KubeApiServerResource.server().admin().services().inNamespace(NS).withName("serving-churn").get().getSpec().getSelector())
                .containsEntry(ServingWorkload.MODEL_LABEL, "churn");

        long generation = deployment("churn").getMetadata().getGeneration();
        CompletableFuture<ServingTarget.Rollout> second = CompletableFuture.supplyAsync(() -> target.rollTo("churn", 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("churn").getMetadata().getGeneration() > generation);
        // the new spec is there, but until the controller reports it rolled out, the rollout is not done
        assertThat(second).isNotDone();
        assertThat(ServingWorkload.version(deployment("churn"))).isEqualTo(2);
        assertThat(deployment("churn").getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .anyMatch(e -> e.getName().equals("FLYWHEEL_MODEL_VERSION") && e.getValue().equals("2"));
        rolledOutInNs("churn", generation);
        ServingTarget.Rollout v2 = second.get(20, TimeUnit.SECONDS);
        assertThat(v2.done()).isTrue();
        assertThat(v2.previous()).isEqualTo(1);
        assertThat(v2.status().message()).isEqualTo("2 of 2 replicas updated and available");

        long beforeBack = deployment("churn").getMetadata().getGeneration();
        CompletableFuture<ServingTarget.Rollout> back = CompletableFuture.supplyAsync(() -> target.rollBack("churn"));
        rolledOutInNs("churn", beforeBack);
        ServingTarget.Rollout restored = back.get(20, TimeUnit.SECONDS);
        assertThat(restored.done()).isTrue();
        assertThat(restored.version()).isEqualTo(1);
        assertThat(ServingWorkload.version(deployment("churn"))).isEqualTo(1);
        assertThat(ServingWorkload.previous(deployment("churn"))).isEqualTo(2);
    }

    @Test
    void aRolloutTheControllerNeverReportsEndsWhenTheWaitRunsOut() {
        KubernetesServingTarget target = new KubernetesServingTarget(targetClient(), ServingWorkloadTest.WORKLOAD, Duration.ofSeconds(2));

        ServingTarget.Rollout rollout = target.rollTo("fraud", 4);

        assertThat(rollout.done()).isFalse();
        assertThat(rollout.status().state()).isEqualTo(RolloutStatus.State.ROLLING);
        assertThat(rollout.status().message()).startsWith("not rolled out after 2s: waiting for the Deployment's controller");
        assertThatThrownBy(() -> target.rollBack("fraud")).hasMessageContaining("no previous version");
    }
}
