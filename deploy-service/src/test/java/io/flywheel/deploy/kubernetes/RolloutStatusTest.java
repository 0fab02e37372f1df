package io.flywheel.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutStatusTest {

    private static Deployment deployment(long generation, DeploymentStatus status) {
        Deployment d = ServingWorkloadTest.WORKLOAD.deployment("churn", 2, 1);
        d.getMetadata().setGeneration(generation);
        d.setStatus(status);
        return d;
    }

    static DeploymentStatus status(long observed, int replicas, int updated, int available) {
        return new DeploymentStatusBuilder().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
                .withAvailableReplicas(available).withReadyReplicas(available).build();
    }

    @Test
    void rolledOutWhenTheNewSpecIsObservedAndEveryReplicaIsUpdatedAndAvailable() {
        assertThat(RolloutStatus.of(deployment(2, status(2, 2, 2, 2))))
                .isEqualTo(new RolloutStatus(RolloutStatus.State.DONE, "2 of 2 replicas updated and available"));
    }

    @Test
    void rollingUntilThen() {
        assertThat(RolloutStatus.of(deployment(2, null)).state()).isEqualTo(RolloutStatus.State.ROLLING);
        assertThat(RolloutStatus.of(deployment(3, status(2, 2, 2, 2))).message()).contains("observe the new spec");
        assertThat(RolloutStatus.of(deployment(2, status(2, 2, 1, 2))).message()).isEqualTo("1 of 2 replicas updated");
        assertThat(RolloutStatus.of(deployment(2, status(2, 3, 2, 2))).message()).isEqualTo("1 old replica(s) pending termination");
        assertThat(RolloutStatus.of(deployment(2, status(2, 2, 2, 1))).message()).isEqualTo("1 of 2 updated replicas available");
    }

    @Test
    void failedPastTheProgressDeadline() {
        DeploymentStatus status = new DeploymentStatusBuilder(status(2, 2, 1, 1)).addNewCondition().withType("Progressing")
                .withStatus("False").withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet \"serving-churn-7d\" has timed out progressing.")
                .endCondition().build();

        RolloutStatus result = RolloutStatus.of(deployment(2, status));

        assertThat(result.state()).isEqualTo(RolloutStatus.State.FAILED);
        assertThat(result.message()).contains("has timed out progressing");
    }
}
