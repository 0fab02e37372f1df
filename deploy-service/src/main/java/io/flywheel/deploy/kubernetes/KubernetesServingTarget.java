package io.flywheel.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serving on Kubernetes: one Deployment and Service per model ({@link ServingWorkload}), rolled to a
 * version by changing the pod template, and followed by the Deployment's status until
 * {@link RolloutStatus} says it is rolled out (a watch, through the client's informer). The API verbs it
 * uses: deployments get, list, watch, create, patch; services get, create.
 */
public final class KubernetesServingTarget implements ServingTarget {

    private final KubernetesClient client;
    private final ServingWorkload workload;
    private final Duration rolloutTimeout;

    public KubernetesServingTarget(KubernetesClient client, ServingWorkload workload, Duration rolloutTimeout) {
        this.client = client;
        this.workload = workload;
        this.rolloutTimeout = rolloutTimeout;
    }

    @Override
    public Integer version(String model) {
        Deployment current = deployment(model).get();
        return current == null ? null : ServingWorkload.version(current);
    }

    @Override
    public Rollout rollTo(String model, int version) {
        // the Service first: it is there before any pod of the model is
        if (client.services().inNamespace(workload.namespace()).withName(ServingWorkload.name(model)).get() == null) {
            client.services().inNamespace(workload.namespace()).resource(workload.service(model)).create();
        }
        RollableScalableResource<Deployment> resource = deployment(model);
        Deployment current = resource.get();
        Integer previous = current == null ? null : ServingWorkload.version(current);
        Deployment applied;
        if (current == null) {
            applied = resource.create(workload.deployment(model, version, null));
        } else if (previous != null && previous == version) {
            applied = current;
        } else {
            applied = resource.edit(d -> workload.roll(d, model, version, previous));
        }
        return new Rollout(model, version, previous == null || previous == version ? ServingWorkload.previous(applied) : previous,
                await(resource, applied.getMetadata().getGeneration()));
    }

    @Override
    public Rollout rollBack(String model) {
        Deployment current = deployment(model).get();
        Integer previous = current == null ? null : ServingWorkload.previous(current);
        if (previous == null) {
            throw new IllegalStateException("the serving workload of '" + model + "' has no previous version to roll back to");
        }
        return rollTo(model, previous);
    }

    /** Waits for the rollout of the given generation (or a later one) to end; ROLLING when the wait ran out. */
    private RolloutStatus await(RollableScalableResource<Deployment> resource, Long generation) {
        AtomicReference<RolloutStatus> last = new AtomicReference<>(new RolloutStatus(RolloutStatus.State.ROLLING, "not observed yet"));
        try {
            resource.waitUntilCondition(d -> {
                if (d == null || d.getMetadata().getGeneration() < generation) {
                    return false;
                }
                last.set(RolloutStatus.of(d));
                return last.get().ended();
            }, rolloutTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            RolloutStatus seen = last.get();
            return new RolloutStatus(RolloutStatus.State.ROLLING, "not rolled out after " + rolloutTimeout.toSeconds() + "s: " + seen.message());
        } catch (KubernetesClientException e) {
            return new RolloutStatus(RolloutStatus.State.FAILED, "the rollout could not be followed: " + e.getMessage());
        }
        return last.get();
    }

    private RollableScalableResource<Deployment> deployment(String model) {
        return client.apps().deployments().inNamespace(workload.namespace()).withName(ServingWorkload.name(model));
    }
}
