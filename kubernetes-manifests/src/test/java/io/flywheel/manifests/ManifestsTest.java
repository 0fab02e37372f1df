package io.flywheel.manifests;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invariants of issue 17 point 2 on both overlays, as rendered by kubectl kustomize and parsed
 * into the fabric8 model. PDBs (policy/v1) and HPAs (autoscaling/v2) are checked only here: the
 * API server of ServerDryRunTest predates them.
 */
class ManifestsTest {

    /** Pods that operators make from custom resources of the render, as the NetworkPolicies select them. */
    private static final Map<String, Map<String, String>> OPERATOR_PODS = Map.of(
            "Cluster/flywheel-postgres", Map.of("cnpg.io/cluster", "flywheel-postgres"),
            "Kafka/flywheel", Map.of("strimzi.io/cluster", "flywheel"));
    /** Services that operators make, with the pods and port behind them. */
    private static final Map<String, Target> OPERATOR_SERVICES = Map.of(
            "flywheel-postgres-rw", new Target(OPERATOR_PODS.get("Cluster/flywheel-postgres"), 5432),
            "flywheel-kafka-bootstrap", new Target(OPERATOR_PODS.get("Kafka/flywheel"), 9092));
    /** retrain's training Jobs, made at run time (rbac.yaml and network-policies.yaml name them). */
    private static final Map<String, String> TRAINER_PODS = Map.of("app.kubernetes.io/name", "flywheel-trainer");
    private static final Set<String> API_USERS = Set.of("retrain-service", "deploy-service");
    private static final Pattern ADDRESS = Pattern.compile("^(?:[a-z:]+//)?([a-z0-9-]+):(\\d+)(?:/.*)?$");

    record Target(Map<String, String> pods, int port) {
    }

    record Workload(String name, PodTemplateSpec template) {
        Map<String, String> labels() {
            return template.getMetadata().getLabels();
        }
    }

    @ParameterizedTest
    @MethodSource("io.flywheel.manifests.Rendered#overlays")
    void everyWorkloadHasLimitsAndALockedDownSecurityContext(String overlay) {
        Rendered render = Rendered.overlay(overlay);
        List<Workload> workloads = workloads(render);
        assertThat(workloads).hasSize(7); // five services, MinIO, the bucket Job

        for (Workload workload : workloads) {
            var pod = workload.template().getSpec();
            PodSecurityContext podSecurity = pod.getSecurityContext();
            assertThat(podSecurity.getRunAsNonRoot()).as(workload.name()).isTrue();
            assertThat(podSecurity.getSeccompProfile().getType()).as(workload.name()).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).as(workload.name() + " mounts an API token")
                    .isEqualTo(API_USERS.contains(workload.name()));
            for (Container container : pod.getContainers()) {
                String where = workload.name() + "/" + container.getName();
                assertThat(container.getResources().getRequests()).as(where).containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as(where).containsKeys("cpu", "memory");
                var security = container.getSecurityContext();
                assertThat(security.getAllowPrivilegeEscalation()).as(where).isFalse();
                assertThat(security.getReadOnlyRootFilesystem()).as(where).isTrue();
                assertThat(security.getCapabilities().getDrop()).as(where).containsExactly("ALL");
                String tmpVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                        .findFirst().orElseThrow(() -> new AssertionError(where + " has no /tmp")).getName();
                assertThat(pod.getVolumes()).as(where).filteredOn(v -> v.getName().equals(tmpVolume))
                        .singleElement().extracting(Volume::getEmptyDir).isNotNull();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.flywheel.manifests.Rendered#overlays")
    void servicesAreProbedOnQuarkusHealthAndListenWhereTheirConfigurationSays(String overlay) {
        Rendered render = Rendered.overlay(overlay);
        for (String name : ServiceSettings.SERVICES) {
            int port = ServiceSettings.of(name).port();
            Deployment deployment = render.named(Deployment.class, name).orElseThrow();
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
            assertThat(container.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                    .as(name).containsExactly(org.assertj.core.groups.Tuple.tuple("http", port));
            assertProbe(container.getReadinessProbe(), "/q/health/ready", name);
            assertProbe(container.getLivenessProbe(), "/q/health/live", name);

            ServicePort servicePort = render.named(Service.class, name).orElseThrow().getSpec().getPorts().getFirst();
            assertThat(servicePort.getPort()).as(name).isEqualTo(port);
            assertThat(containerPort(deployment.getSpec().getTemplate(), servicePort)).as(name).isEqualTo(port);
        }
    }

    @ParameterizedTest
    @MethodSource("io.flywheel.manifests.Rendered#overlays")
    void selectorsSelectThePodsTheyAreFor(String overlay) {
        Rendered render = Rendered.overlay(overlay);
        List<Workload> workloads = workloads(render);
        for (Deployment deployment : render.all(Deployment.class)) {
            assertThat(NetworkFlows.matches(deployment.getSpec().getSelector(), deployment.getSpec().getTemplate().getMetadata().getLabels()))
                    .as(deployment.getMetadata().getName()).isTrue();
        }
        for (Service service : render.all(Service.class)) {
            assertThat(workloads).as("pods of Service " + service.getMetadata().getName())
                    .filteredOn(w -> w.labels().entrySet().containsAll(service.getSpec().getSelector().entrySet()))
                    .hasSize(1);
        }
        for (PodDisruptionBudget budget : render.all(PodDisruptionBudget.class)) {
            assertThat(workloads).as("pods of PodDisruptionBudget " + budget.getMetadata().getName())
                    .filteredOn(w -> NetworkFlows.matches(budget.getSpec().getSelector(), w.labels()))
                    .extracting(Workload::name).containsExactly(budget.getMetadata().getName());
            assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        }
        for (HorizontalPodAutoscaler autoscaler : render.all(HorizontalPodAutoscaler.class)) {
            var target = autoscaler.getSpec().getScaleTargetRef();
            assertThat(target.getApiVersion() + "/" + target.getKind()).isEqualTo("apps/v1/Deployment");
            assertThat(render.named(Deployment.class, target.getName())).as(target.getName()).isPresent();
            assertThat(autoscaler.getSpec().getMinReplicas()).isLessThanOrEqualTo(autoscaler.getSpec().getMaxReplicas());
            assertThat(autoscaler.getSpec().getMetrics()).isNotEmpty();
        }
        assertThat(render.all(HorizontalPodAutoscaler.class)).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("monitor-service", "deploy-service");

        List<Map<String, String>> pods = new ArrayList<>(workloads.stream().map(Workload::labels).toList());
        pods.add(TRAINER_PODS);
        OPERATOR_PODS.forEach((resource, labels) -> {
            String[] kindAndName = resource.split("/");
            assertThat(render.custom(kindAndName[0])).extracting(r -> r.getMetadata().getName()).contains(kindAndName[1]);
            pods.add(labels);
        });
        for (NetworkPolicy policy : render.all(NetworkPolicy.class)) {
            assertThat(pods).as("pods of NetworkPolicy " + policy.getMetadata().getName())
                    .anyMatch(labels -> NetworkFlows.matches(policy.getSpec().getPodSelector(), labels));
        }
    }

    @ParameterizedTest
    @MethodSource("io.flywheel.manifests.Rendered#overlays")
    void everyReferenceResolvesAndNoSecretIsWritten(String overlay) {
        Rendered render = Rendered.overlay(overlay);
        assertThat(render.all(Secret.class)).isEmpty();
        String readme = Rendered.read("deploy/kubernetes/README.md");

        Set<String> secrets = new TreeSet<>();
        for (Workload workload : workloads(render)) {
            var pod = workload.template().getSpec();
            if (pod.getServiceAccountName() != null) {
                assertThat(render.named(ServiceAccount.class, pod.getServiceAccountName())).as(workload.name()).isPresent();
            }
            for (Container container : pod.getContainers()) {
                for (EnvFromSource from : container.getEnvFrom()) {
                    assertThat(render.named(ConfigMap.class, from.getConfigMapRef().getName())).as(workload.name()).isPresent();
                }
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        secrets.add(env.getValueFrom().getSecretKeyRef().getName() + "." + env.getValueFrom().getSecretKeyRef().getKey());
                    }
                }
            }
            pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).forEach(v ->
                    assertThat(render.named(PersistentVolumeClaim.class, v.getPersistentVolumeClaim().getClaimName())).isPresent());
        }
        for (GenericKubernetesResource cluster : render.custom("Cluster")) {
            List<Map<String, Object>> roles = cluster.get("spec", "managed", "roles");
            roles.forEach(role -> secrets.add(((Map<?, ?>) role.get("passwordSecret")).get("name") + ".password"));
        }
        assertThat(secrets).contains("flywheel-internal-token.secret", "flywheel-s3.access-key", "flywheel-db-retrain.password");
        for (String secret : secrets) {
            String name = secret.substring(0, secret.indexOf('.'));
            String key = secret.substring(secret.indexOf('.') + 1);
            // the README's table of Secrets the user makes: a row naming the Secret (flywheel-db-<role> for the five) and its key
            String row = readme.lines().filter(line -> line.startsWith("| `" + name.replaceFirst("^flywheel-db-.*", "flywheel-db-<role>") + "`"))
                    .findFirst().orElseThrow(() -> new AssertionError("Secret " + name + " is not in deploy/kubernetes/README.md"));
            assertThat(row).as(secret).contains("`" + key + "`");
            if (name.startsWith("flywheel-db-")) {
                assertThat(row).contains(name.substring("flywheel-db-".length()));
            }
        }

        for (RoleBinding binding : render.all(RoleBinding.class)) {
            assertThat(render.named(Role.class, binding.getRoleRef().getName())).isPresent();
            binding.getSubjects().forEach(subject -> assertThat(render.named(ServiceAccount.class, subject.getName())).isPresent());
        }
        for (Ingress ingress : render.all(Ingress.class)) {
            ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(path -> {
                Service service = render.named(Service.class, path.getBackend().getService().getName()).orElseThrow();
                assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).contains(path.getBackend().getService().getPort().getName());
            }));
        }
        assertThat(render.all(Ingress.class)).flatExtracting(i -> i.getSpec().getRules())
                .flatExtracting(r -> r.getHttp().getPaths()).extracting(p -> p.getBackend().getService().getName())
                .containsOnly("gateway");
    }

    @ParameterizedTest
    @MethodSource("io.flywheel.manifests.Rendered#overlays")
    void servicesRunTheirOwnImagesAtOneTag(String overlay) {
        Rendered render = Rendered.overlay(overlay);
        Set<String> tags = new TreeSet<>();
        for (String name : ServiceSettings.SERVICES) {
            String image = render.named(Deployment.class, name).orElseThrow().getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
            assertThat(image).startsWith("flywheel/" + name + ":");
            tags.add(image.substring(image.indexOf(':') + 1));
        }
        assertThat(tags).containsExactly(overlay.equals("dev") ? "dev" : "0.1.0");
        for (Workload workload : workloads(render)) {
            workload.template().getSpec().getContainers().forEach(c ->
                    assertThat(c.getImage()).as("pinned").matches(".+:[^:]+").doesNotEndWith(":latest"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.flywheel.manifests.Rendered#overlays")
    void networkPoliciesLetThroughExactlyTheFlowsTheConfigurationNames(String overlay) {
        Rendered render = Rendered.overlay(overlay);
        List<NetworkPolicy> policies = render.all(NetworkPolicy.class);
        NetworkFlows flows = new NetworkFlows(policies);
        assertThat(policies).filteredOn(p -> p.getMetadata().getName().equals("default-deny")).singleElement().satisfies(deny -> {
            assertThat(NetworkFlows.isEmpty(deny.getSpec().getPodSelector())).isTrue();
            assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        });
        for (Workload workload : workloads(render)) {
            assertThat(flows.naming(workload.labels())).as("policies naming " + workload.name()).isNotEmpty();
        }

        Map<String, Set<String>> configured = new HashMap<>(); // service -> the services it calls
        for (String name : ServiceSettings.SERVICES) {
            Map<String, String> from = render.named(Deployment.class, name).orElseThrow().getSpec().getTemplate().getMetadata().getLabels();
            ConfigMap config = render.named(ConfigMap.class, name + "-config").orElseThrow();
            for (String value : config.getData().values()) {
                Matcher address = ADDRESS.matcher(value);
                if (!address.matches()) {
                    continue;
                }
                Target target = resolve(render, address.group(1), Integer.parseInt(address.group(2)));
                assertThat(flows.allows(from, target.pods(), target.port())).as(name + " -> " + value).isTrue();
                configured.computeIfAbsent(name, k -> new TreeSet<>()).add(address.group(1));
            }
        }
        for (String from : ServiceSettings.SERVICES) {
            for (String to : ServiceSettings.SERVICES) {
                if (!from.equals(to) && !configured.getOrDefault(from, Set.of()).contains(to)) {
                    assertThat(flows.allows(podsOf(render, from), podsOf(render, to), ServiceSettings.of(to).port()))
                            .as(from + " -> " + to + " is not configured, so not allowed").isFalse();
                }
            }
        }
        assertThat(workloads(render)).filteredOn(w -> w.template().getSpec().getContainers().stream()
                        .flatMap(c -> c.getPorts().stream()).anyMatch(p -> flows.openToAll(w.labels(), p.getContainerPort())))
                .extracting(Workload::name).containsExactly("gateway");
        assertThat(flows.allows(TRAINER_PODS, podsOf(render, "minio"), 9000)).isTrue();
        assertThat(flows.allows(TRAINER_PODS, OPERATOR_PODS.get("Cluster/flywheel-postgres"), 5432)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("io.flywheel.manifests.Rendered#overlays")
    void kafkaTopicsAreTheOnesTheServicesUse(String overlay) {
        Rendered render = Rendered.overlay(overlay);
        Set<String> used = ServiceSettings.SERVICES.stream().flatMap(s -> ServiceSettings.of(s).topics().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        List<GenericKubernetesResource> topics = render.custom("KafkaTopic");
        assertThat(topics).extracting(t -> (String) t.get("spec", "topicName")).containsExactlyInAnyOrderElementsOf(used);

        Set<String> contracted = Pattern.compile("^\\| `(flywheel\\.[a-z]+)` \\|", Pattern.MULTILINE)
                .matcher(Rendered.read("docs/CONTRACTS.md")).results().map(m -> m.group(1)).collect(Collectors.toSet());
        assertThat(contracted).hasSize(7);
        assertThat(used).containsAll(contracted);

        int nodes = render.custom("KafkaNodePool").stream().mapToInt(p -> ((Number) p.get("spec", "replicas")).intValue()).sum();
        Map<String, Object> kafkaConfig = render.custom("Kafka").getFirst().get("spec", "kafka", "config");
        for (GenericKubernetesResource topic : topics) {
            int replicas = ((Number) topic.get("spec", "replicas")).intValue();
            assertThat(replicas).isLessThanOrEqualTo(nodes);
            assertThat(((Number) kafkaConfig.get("min.insync.replicas")).intValue()).isLessThanOrEqualTo(Math.max(1, replicas - 1));
        }
    }

    @Test
    void prodRunsSeveralReplicasSpreadOverNodesAndZones() {
        Rendered prod = Rendered.overlay("prod");
        for (String name : ServiceSettings.SERVICES) {
            var spec = prod.named(Deployment.class, name).orElseThrow().getSpec();
            Map<String, String> own = Map.of("app.kubernetes.io/name", name);
            assertThat(spec.getReplicas()).as(name).isGreaterThanOrEqualTo(2);
            assertThat(spec.getTemplate().getSpec().getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                    .as(name).anySatisfy(term -> {
                        assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                        assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(own);
                    });
            assertThat(spec.getTemplate().getSpec().getTopologySpreadConstraints()).as(name).anySatisfy(constraint -> {
                assertThat(constraint.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
                assertThat(constraint.getLabelSelector().getMatchLabels()).isEqualTo(own);
            });
        }
        assertThat(prod.all(HorizontalPodAutoscaler.class)).allSatisfy(h -> assertThat(h.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2));
        assertThat(((Number) prod.custom("Cluster").getFirst().get("spec", "instances")).intValue()).isEqualTo(3);
        assertThat(prod.custom("KafkaTopic")).allSatisfy(t -> assertThat(((Number) t.get("spec", "replicas")).intValue()).isEqualTo(3));
        assertThat(Rendered.overlay("dev").named(Deployment.class, "gateway").orElseThrow().getSpec().getReplicas()).isEqualTo(1);
    }

    static List<Workload> workloads(Rendered render) {
        List<Workload> workloads = new ArrayList<>();
        render.all(Deployment.class).forEach(d -> workloads.add(new Workload(d.getMetadata().getName(), d.getSpec().getTemplate())));
        render.all(Job.class).forEach(j -> workloads.add(new Workload(j.getMetadata().getName(), j.getSpec().getTemplate())));
        return workloads;
    }

    private static Map<String, String> podsOf(Rendered render, String deployment) {
        return render.named(Deployment.class, deployment).orElseThrow().getSpec().getTemplate().getMetadata().getLabels();
    }

    /** The pods and container port behind host:port: a Service of the render, or one an operator makes. */
    private static Target resolve(Rendered render, String host, int port) {
        var service = render.named(Service.class, host);
        if (service.isEmpty()) {
            Target target = OPERATOR_SERVICES.get(host);
            assertThat(target).as(host + " is neither a Service of the render nor one an operator makes").isNotNull();
            assertThat(target.port()).as(host).isEqualTo(port);
            return target;
        }
        ServicePort servicePort = service.get().getSpec().getPorts().stream().filter(p -> p.getPort() == port).findFirst()
                .orElseThrow(() -> new AssertionError("Service " + host + " has no port " + port));
        Workload workload = workloads(render).stream()
                .filter(w -> w.labels().entrySet().containsAll(service.get().getSpec().getSelector().entrySet()))
                .findFirst().orElseThrow();
        return new Target(workload.labels(), containerPort(workload.template(), servicePort));
    }

    private static int containerPort(PodTemplateSpec template, ServicePort servicePort) {
        var targetPort = servicePort.getTargetPort();
        if (targetPort.getIntVal() != null) {
            return targetPort.getIntVal();
        }
        return template.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                .filter(p -> targetPort.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + targetPort.getStrVal())).getContainerPort();
    }

    private static void assertProbe(Probe probe, String path, String service) {
        assertThat(probe).as(service + " probe on " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(service).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(service).isEqualTo("http");
    }
}
