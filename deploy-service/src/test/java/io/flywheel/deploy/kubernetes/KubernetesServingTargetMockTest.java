package io.flywheel.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failures a real API server won't produce on request, against fabric8's mock. */
@EnableKubernetesMockClient
class KubernetesServingTargetMockTest {

    private static final String DEPLOYMENT = "/apis/apps/v1/namespaces/serving/deployments/serving-churn";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void forbiddenIsThrownToTheCaller() {
        server.expect().get().withPath("/api/v1/namespaces/serving/services/serving-churn").andReturn(403, new StatusBuilder()
                .withCode(403).withReason("Forbidden").withMessage("services \"serving-churn\" is forbidden").build()).always();
        KubernetesServingTarget target = new KubernetesServingTarget(client, ServingWorkloadTest.WORKLOAD, Duration.ofSeconds(2));

        assertThatThrownBy(() -> target.rollTo("churn", 2)).isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    }

    @Test
    void aRolloutPastItsProgressDeadlineFails() {
        Deployment stuck = ServingWorkloadTest.WORKLOAD.deployment("churn", 2, 1);
        stuck.getMetadata().setGeneration(2L);
        stuck.getMetadata().setResourceVersion("7");
        stuck.setStatus(new DeploymentStatusBuilder(RolloutStatusTest.status(2, 2, 1, 1)).addNewCondition().withType("Progressing")
                .withStatus("False").withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet \"serving-churn-2\" has timed out progressing.")
                .endCondition().build());
        server.expect().get().withPath(DEPLOYMENT).andReturn(200, stuck).always();
        server.expect().get().withPath("/api/v1/namespaces/serving/services/serving-churn")
                .andReturn(200, ServingWorkloadTest.WORKLOAD.service("churn")).always();
        server.expect().get().withPath("/apis/apps/v1/namespaces/serving/deployments?fieldSelector=metadata.name%3Dserving-churn")
                .andReturn(200, new io.fabric8.kubernetes.api.model.apps.DeploymentListBuilder().withMetadata(new io.fabric8.kubernetes.api.model.ListMetaBuilder().withResourceVersion("7").build())
                        .withItems(stuck).build()).always();
        KubernetesServingTarget target = new KubernetesServingTarget(client, ServingWorkloadTest.WORKLOAD, Duration.ofSeconds(5));

        ServingTarget.Rollout rollout = target.rollTo("churn", 2);

        assertThat(rollout.status().state()).isEqualTo(RolloutStatus.State.FAILED);
        assertThat(rollout.status().message()).contains("has timed out progressing");
        assertThat(rollout.previous()).isEqualTo(1);
    }
}
