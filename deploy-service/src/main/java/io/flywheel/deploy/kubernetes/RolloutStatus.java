package io.flywheel.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/**
 * Where a Deployment's rollout is, read from its status as {@code kubectl rollout status} reads it
 * (plain logic): the controller has seen the new spec ({@code observedGeneration}), every replica is
 * updated, no old replica is left, every updated one is available; or the rollout ran past its
 * progress deadline.
 */
public record RolloutStatus(State state, String message) {

    public enum State { ROLLING, DONE, FAILED }

    public boolean ended() {
        return state != State.ROLLING;
    }

    public static RolloutStatus of(Deployment deployment) {
        DeploymentStatus status = deployment.getStatus();
        Long generation = deployment.getMetadata().getGeneration();
        if (status == null || status.getObservedGeneration() == null || generation == null || status.getObservedGeneration() < generation) {
            return new RolloutStatus(State.ROLLING, "waiting for the Deployment's controller to observe the new spec");
        }
        if (status.getConditions() != null) {
            for (DeploymentCondition condition : status.getConditions()) {
                if ("Progressing".equals(condition.getType()) && "ProgressDeadlineExceeded".equals(condition.getReason())) {
                    return new RolloutStatus(State.FAILED, "the rollout ran past its progress deadline: " + condition.getMessage());
                }
            }
        }
        int desired = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        int updated = orZero(status.getUpdatedReplicas());
        int replicas = orZero(status.getReplicas());
        int available = orZero(status.getAvailableReplicas());
        if (updated < desired) {
            return new RolloutStatus(State.ROLLING, updated + " of " + desired + " replicas updated");
        }
        if (replicas > updated) {
            return new RolloutStatus(State.ROLLING, (replicas - updated) + " old replica(s) pending termination");
        }
        if (available < updated) {
            return new RolloutStatus(State.ROLLING, available + " of " + updated + " updated replicas available");
        }
        return new RolloutStatus(State.DONE, desired + " of " + desired + " replicas updated and available");
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
