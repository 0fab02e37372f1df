package io.flywheel.manifests;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flywheel.kubeapi.KubeApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both overlays against a real kube-apiserver v1.20.2 (kube-apiserver-test): every object whose API
 * it serves passes its server-side dry run, and the ServiceAccounts' RBAC grants what retrain and
 * deploy need and nothing else. One server for the class.
 */
class ServerDryRunTest {

    /** APIs newer than the 1.20 server or of an operator whose CRD is not installed here (ManifestsTest checks them). */
    private static final Set<String> NOT_SERVED = Set.of(
            "autoscaling/v2 HorizontalPodAutoscaler", "policy/v1 PodDisruptionBudget", "postgresql.cnpg.io/v1 Cluster");

    private static final String RBAC = "flywheel-rbac";

    private static KubeApiServer server;
    private static final Map<String, Set<String>> SERVED_KINDS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        server = KubeApiServer.start(); // says which binary is missing, kubectl included, when one is
        Rendered dev = Rendered.overlay("dev");
        System.out.printf("kube-apiserver started in %d ms%n", server.startupTime().toMillis());
        KubernetesClient admin = server.admin();
        StrimziCrds.install(admin, StrimziCrds.generate(Path.of("target/strimzi-crds"))); // kept there to read
        admin.resource(dev.named(Namespace.class, "flywheel").orElseThrow()).create(); // dry runs of namespaced objects need it
        // the RBAC for real, in a namespace of its own so that the dry runs in flywheel still create rather than conflict
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(RBAC).endMetadata().build()).create();
        Stream.of(ServiceAccount.class, Role.class, RoleBinding.class).flatMap(type -> dev.all(type).stream()).forEach(rendered -> {
            HasMetadata object = admin.getKubernetesSerialization().clone(rendered); // the render is shared with the other tests
            object.getMetadata().setNamespace(RBAC);
            if (object instanceof RoleBinding binding) {
                binding.getSubjects().forEach(subject -> subject.setNamespace(RBAC));
            }
            admin.resource(object).create();
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @MethodSource("io.flywheel.manifests.Rendered#overlays")
    void everyObjectTheServerHasAnApiForPassesItsServerSideDryRun(String overlay) {
        Rendered render = Rendered.overlay(overlay);
        Set<String> notServed = new TreeSet<>();
        List<String> rejected = new ArrayList<>();
        int applied = 0;
        long begin = System.nanoTime();
        for (HasMetadata object : render.objects()) {
            String api = object.getApiVersion() + " " + object.getKind();
            if (object instanceof Namespace) {
                continue; // created for real in start()
            }
            if (!served(object.getApiVersion(), object.getKind())) {
                notServed.add(api);
                continue;
            }
            try {
                dryRunCreate(object);
                applied++;
            } catch (KubernetesClientException e) {
                rejected.add(api + " " + object.getMetadata().getName() + ": " + e.getCode() + " " + e.getMessage());
            }
        }
        assertThat(rejected).isEmpty();
        assertThat(notServed).isEqualTo(NOT_SERVED);
        System.out.printf("%s: %d objects accepted by the server's dry run in %d ms, not served: %s%n",
                overlay, applied, (System.nanoTime() - begin) / 1_000_000, notServed);
        assertThat(applied).isEqualTo(render.objects().size() - 1 - render.objects().stream()
                .filter(o -> NOT_SERVED.contains(o.getApiVersion() + " " + o.getKind())).count());
    }

    @Test
    void strimzisSchemaRejectsAMalformedTopic() {
        GenericKubernetesResource topic = new GenericKubernetesResourceBuilder().withApiVersion("kafka.strimzi.io/v1beta2")
                .withKind("KafkaTopic").withNewMetadata().withName("malformed").withNamespace("flywheel").endMetadata()
                .addToAdditionalProperties("spec", Map.of("partitions", "many", "replicas", 1)).build();

        assertThatThrownBy(() -> dryRunCreate(topic)).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).isEqualTo(422));
    }

    @Test
    void retrainMayRunTrainingJobsAndNothingElse() {
        try (KubernetesClient retrain = server.clientFor(RBAC, "retrain-service")) {
            for (String verb : List.of("create", "get", "list", "watch", "delete")) {
                assertThat(allowed(retrain, RBAC, verb, "batch", "jobs", null)).as(verb + " jobs").isTrue();
            }
            assertThat(allowed(retrain, RBAC, "get", "", "pods", "log")).isTrue();
            assertThat(allowed(retrain, RBAC, "create", "apps", "deployments", null)).isFalse();
            assertThat(allowed(retrain, RBAC, "get", "", "secrets", null)).isFalse();
            assertThat(allowed(retrain, "default", "create", "batch", "jobs", null)).as("another namespace").isFalse();

            retrain.batch().v1().jobs().inNamespace(RBAC).resource(new JobBuilder().withNewMetadata().withName("training-1").endMetadata()
                    .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                    .withServiceAccountName("flywheel-trainer").addNewContainer().withName("trainer").withImage("flywheel/trainer:dev")
                    .endContainer().endSpec().endTemplate().endSpec().build()).create();
            assertThat(retrain.batch().v1().jobs().inNamespace(RBAC).withName("training-1").get()).isNotNull();
            assertThatThrownBy(() -> retrain.apps().deployments().inNamespace(RBAC).resource(servingDeployment()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    @Test
    void deployMayManageServingWorkloadsAndNothingElse() {
        try (KubernetesClient deploy = server.clientFor(RBAC, "deploy-service")) {
            for (String verb : List.of("get", "list", "watch", "create", "update", "patch", "delete")) {
                assertThat(allowed(deploy, RBAC, verb, "apps", "deployments", null)).as(verb + " deployments").isTrue();
                assertThat(allowed(deploy, RBAC, verb, "", "services", null)).as(verb + " services").isTrue();
            }
            assertThat(allowed(deploy, RBAC, "create", "batch", "jobs", null)).isFalse();
            assertThat(allowed(deploy, RBAC, "get", "", "secrets", null)).isFalse();
            assertThat(allowed(deploy, RBAC, "update", "rbac.authorization.k8s.io", "roles", null)).isFalse();

            deploy.apps().deployments().inNamespace(RBAC).resource(servingDeployment()).dryRun().create();
            assertThatThrownBy(() -> deploy.batch().v1().jobs().inNamespace(RBAC).list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    @Test
    void theOtherServicesHaveNoApiAccess() {
        for (String service : List.of("registry-service", "monitor-service", "gateway")) {
            try (KubernetesClient client = server.clientFor(RBAC, service)) {
                assertThat(allowed(client, RBAC, "list", "", "pods", null)).as(service).isFalse();
                assertThat(allowed(client, RBAC, "get", "", "configmaps", null)).as(service).isFalse();
            }
        }
    }

    /**
     * A create with dryRun=All: validated, defaulted, admitted, not stored. (Server-side apply was tried
     * first: 1.20's typed patches reject Service ports without an explicit protocol and the generated
     * Strimzi schema's config maps, before validating anything.)
     */
    private static void dryRunCreate(HasMetadata object) {
        KubernetesClient admin = server.admin();
        if (object instanceof GenericKubernetesResource generic) {
            admin.genericKubernetesResources(generic.getApiVersion(), generic.getKind())
                    .inNamespace(generic.getMetadata().getNamespace()).resource(generic).dryRun().create();
        } else {
            admin.resource(object).dryRun().create();
        }
    }

    private static boolean served(String apiVersion, String kind) {
        return SERVED_KINDS.computeIfAbsent(apiVersion, version -> {
            try {
                var resources = server.admin().getApiResources(version);
                return resources == null ? Set.of()
                        : resources.getResources().stream().map(r -> r.getKind()).collect(java.util.stream.Collectors.toSet());
            } catch (KubernetesClientException e) {
                return Set.of();
            }
        }).contains(kind);
    }

    private static boolean allowed(KubernetesClient client, String namespace, String verb, String group, String resource, String subresource) {
        return client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder().withNewSpec()
                .withNewResourceAttributes().withNamespace(namespace).withVerb(verb).withGroup(group).withResource(resource)
                .withSubresource(subresource).endResourceAttributes().endSpec().build()).getStatus().getAllowed();
    }

    private static io.fabric8.kubernetes.api.model.apps.Deployment servingDeployment() {
        return new DeploymentBuilder().withNewMetadata().withName("serving-churn").endMetadata().withNewSpec()
                .withNewSelector().addToMatchLabels("app", "serving-churn").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "serving-churn").endMetadata()
                .withNewSpec().addNewContainer().withName("serving").withImage("flywheel/deploy-service:dev").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
