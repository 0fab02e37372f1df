package io.flywheel.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.util.Map;

/**
 * The serving workload of one model, built from settings alone (no client): a Deployment whose pods
 * run the serving image with the model and version in their environment and the version in an
 * annotation, and a Service in front of it. Changing the version changes the pod template, which is
 * what makes Kubernetes roll the pods; the Deployment remembers the version before (for rollback).
 *
 * @param namespace where the workloads live
 * @param image     the serving image (an Open Inference Protocol v2 server that loads the model it is told)
 * @param replicas  pods per model
 * @param port      the port the serving container listens on (the Service's too)
 * @param cpu       each pod's CPU request
 * @param memory    its memory request and limit
 */
public record ServingWorkload(String namespace, String image, int replicas, int port, String cpu, String memory) {

    public static final String MODEL_LABEL = "flywheel.io/model";
    public static final String VERSION_ANNOTATION = "flywheel.io/model-version";
    public static final String PREVIOUS_ANNOTATION = "flywheel.io/previous-model-version";
    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String CONTAINER = "serving";

    /** The workload's name: {@code serving-<model>} in DNS-label form. */
    public static String name(String model) {
        String name = ("serving-" + model.toLowerCase().replaceAll("[^a-z0-9-]", "-")).replaceAll("-+$", "");
        return name.length() > 63 ? name.substring(0, 63).replaceAll("-+$", "") : name;
    }

    /** The label value of a model name (at most 63 characters of {@code [A-Za-z0-9._-]}, alphanumeric at both ends). */
    static String label(String model) {
        String value = model.replaceAll("[^A-Za-z0-9._-]", "-");
        value = value.length() > 63 ? value.substring(0, 63) : value;
        return value.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }

    /** The Deployment serving {@code version} of the model; {@code previous} is the version it replaces, or null. */
    public Deployment deployment(String model, int version, Integer previous) {
        Map<String, String> selector = Map.of(NAME_LABEL, "flywheel-serving", MODEL_LABEL, label(model));
        return new DeploymentBuilder()
                .withNewMetadata()
                    .withName(name(model))
                    .withNamespace(namespace)
                    .withLabels(selector)
                    .withAnnotations(annotations(version, previous))
                .endMetadata()
                .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().withMatchLabels(selector).endSelector()
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(selector)
                            .withAnnotations(Map.of(VERSION_ANNOTATION, Integer.toString(version)))
                        .endMetadata()
                        .withNewSpec()
                            .withAutomountServiceAccountToken(false)
                            .withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(image)
                                .addNewEnv().withName("FLYWHEEL_MODEL").withValue(model).endEnv()
                                .addNewEnv().withName("FLYWHEEL_MODEL_VERSION").withValue(Integer.toString(version)).endEnv()
                                .addNewPort().withName("http").withContainerPort(port).endPort()
                                .withNewReadinessProbe()
                                    .withNewHttpGet().withPath("/v2/models/" + model + "/ready").withPort(new IntOrString("http")).endHttpGet()
                                .endReadinessProbe()
                                .withNewResources()
                                    .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                                    .withLimits(Map.of("memory", new Quantity(memory)))
                                .endResources()
                                .withNewSecurityContext()
                                    .withAllowPrivilegeEscalation(false)
                                    .withReadOnlyRootFilesystem(true)
                                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                                .endSecurityContext()
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** Moves an existing Deployment to {@code version}, keeping what others set (e.g. replicas an autoscaler chose). */
    public Deployment roll(Deployment current, String model, int version, Integer previous) {
        Deployment desired = deployment(model, version, previous);
        current.getMetadata().setAnnotations(merge(current.getMetadata().getAnnotations(), annotations(version, previous)));
        current.getSpec().getTemplate().getMetadata().setAnnotations(
                merge(current.getSpec().getTemplate().getMetadata().getAnnotations(), Map.of(VERSION_ANNOTATION, Integer.toString(version))));
        current.getSpec().getTemplate().getSpec().setContainers(desired.getSpec().getTemplate().getSpec().getContainers());
        return current;
    }

    public Service service(String model) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name(model)).withNamespace(namespace)
                    .withLabels(Map.of(NAME_LABEL, "flywheel-serving", MODEL_LABEL, label(model))).endMetadata()
                .withNewSpec()
                    .withSelector(Map.of(NAME_LABEL, "flywheel-serving", MODEL_LABEL, label(model)))
                    .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString("http")).endPort()
                .endSpec()
                .build();
    }

    /** The version a Deployment serves (its pod template's annotation), or null. */
    public static Integer version(Deployment deployment) {
        return number(deployment.getSpec().getTemplate().getMetadata().getAnnotations(), VERSION_ANNOTATION);
    }

    /** The version it served before, or null. */
    public static Integer previous(Deployment deployment) {
        return number(deployment.getMetadata().getAnnotations(), PREVIOUS_ANNOTATION);
    }

    private static Map<String, String> annotations(int version, Integer previous) {
        return previous == null ? Map.of(VERSION_ANNOTATION, Integer.toString(version))
                : Map.of(VERSION_ANNOTATION, Integer.toString(version), PREVIOUS_ANNOTATION, Integer.toString(previous));
    }

    private static Map<String, String> merge(Map<String, String> current, Map<String, String> changes) {
        Map<String, String> merged = new java.util.LinkedHashMap<>(current == null ? Map.of() : current);
        merged.putAll(changes);
        if (!changes.containsKey(PREVIOUS_ANNOTATION)) {
            merged.remove(PREVIOUS_ANNOTATION);
        }
        return merged;
    }

    private static Integer number(Map<String, String> annotations, String key) {
        String value = annotations == null ? null : annotations.get(key);
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
