package io.flywheel.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flywheel.kubeapi.KubeApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The serving target against a real kube-apiserver (v1.20.2, kube-apiserver-test/README.md), as
 * deploy-service's ServiceAccount with only the verbs the target needs. The server validates and
 * defaults the Deployment, bumps its generation on every change and enforces RBAC, but runs no
 * controllers or pods: the test plays the Deployment controller by writing the status fields.
 */
class KubernetesServingTargetApiServerTest {

    private static final String NS = "serving";
    private static KubeApiServer server;
    private static KubernetesClient deploy;

    @BeforeAll
    static void start() {
        server = KubeApiServer.start();
        KubernetesClient admin = server.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("deploy-service")
                .endMetadata().build()).create();
        admin.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("serving-target").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("apps").withResources("deployments")
                                .withVerbs("get", "list", "watch", "create", "patch").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("services").withVerbs("get", "create").build())
                .build()).create();
        admin.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata().withName("serving-target")
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "serving-target")
                .addNewSubject().withKind("ServiceAccount").withName("deploy-service").withNamespace(NS).endSubject()
                .build()).create();
        deploy = server.clientFor(NS, "deploy-service");
    }

    @AfterAll
    static void stop() {
        if (deploy != null) {
            deploy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Deployment deployment(String model) {
        return server.admin().apps().deployments().inNamespace(NS).withName(ServingWorkload.name(model)).get();
    }

    /** What the Deployment controller would do once the pods of the generation after {@code after} are up. */
    private static void rolledOut(String model, long after) {
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment(model) != null && deployment(model).getMetadata().getGeneration() > after);
        Deployment d = deployment(model);
        d.setStatus(RolloutStatusTest.status(d.getMetadata().getGeneration(), 2, 2, 2));
        server.admin().apps().deployments().inNamespace(NS).resource(d).updateStatus();
    }

    @Test
    void rollsToAVersionWaitsForItAndRollsBack() throws Exception {
        KubernetesServingTarget target = new KubernetesServingTarget(deploy, ServingWorkloadTest.WORKLOAD, Duration.ofSeconds(20));

        CompletableFuture<ServingTarget.Rollout> first = CompletableFuture.supplyAsync(() -> target.rollTo("churn", 1));
        rolledOut("churn", 0);
        ServingTarget.Rollout v1 = first.get(20, TimeUnit.SECONDS);
        assertThat(v1.done()).isTrue();
        assertThat(v1.previous()).isNull();
        assertThat(server.admin().services().inNamespace(NS).withName("serving-churn").get().getSpec().getSelector())
                .containsEntry(ServingWorkload.MODEL_LABEL, "churn");

        long generation = deployment("churn").getMetadata().getGeneration();
        CompletableFuture<ServingTarget.Rollout> second = CompletableFuture.supplyAsync(() -> target.rollTo("churn", 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("churn").getMetadata().getGeneration() > generation);
        // the new spec is there, but until the controller reports it rolled out, the rollout is not done
        assertThat(second).isNotDone();
        assertThat(ServingWorkload.version(deployment("churn"))).isEqualTo(2);
        assertThat(deployment("churn").getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .anyMatch(e -> e.getName().equals("FLYWHEEL_MODEL_VERSION") && e.getValue().equals("2"));
        rolledOut("churn", generation);
        ServingTarget.Rollout v2 = second.get(20, TimeUnit.SECONDS);
        assertThat(v2.done()).isTrue();
        assertThat(v2.previous()).isEqualTo(1);
        assertThat(v2.status().message()).isEqualTo("2 of 2 replicas updated and available");

        long beforeBack = deployment("churn").getMetadata().getGeneration();
        CompletableFuture<ServingTarget.Rollout> back = CompletableFuture.supplyAsync(() -> target.rollBack("churn"));
        rolledOut("churn", beforeBack);
        ServingTarget.Rollout restored = back.get(20, TimeUnit.SECONDS);
        assertThat(restored.done()).isTrue();
        assertThat(restored.version()).isEqualTo(1);
        assertThat(ServingWorkload.version(deployment("churn"))).isEqualTo(1);
        assertThat(ServingWorkload.previous(deployment("churn"))).isEqualTo(2);
    }

    @Test
    void aRolloutTheControllerNeverReportsEndsWhenTheWaitRunsOut() {
        KubernetesServingTarget target = new KubernetesServingTarget(deploy, ServingWorkloadTest.WORKLOAD, Duration.ofSeconds(2));

        ServingTarget.Rollout rollout = target.rollTo("fraud", 4);

        assertThat(rollout.done()).isFalse();
        assertThat(rollout.status().state()).isEqualTo(RolloutStatus.State.ROLLING);
        assertThat(rollout.status().message()).startsWith("not rolled out after 2s: waiting for the Deployment's controller");
        assertThatThrownBy(() -> target.rollBack("fraud")).hasMessageContaining("no previous version");
    }
}
