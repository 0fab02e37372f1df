package io.flywheel.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ServingWorkloadTest {

    static final ServingWorkload WORKLOAD = new ServingWorkload("serving", "registry.example.com/flywheel/serving:0.1", 2, 8080, "250m", "512Mi");

    @Test
    void theDeploymentRunsTheModelAndVersionItIsTold() {
        Deployment d = WORKLOAD.deployment("churn", 3, 2);

        assertThat(d.getMetadata().getName()).isEqualTo("serving-churn");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("serving");
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(d.getSpec().getTemplate().getMetadata().getLabels());
        assertThat(ServingWorkload.version(d)).isEqualTo(3);
        assertThat(ServingWorkload.previous(d)).isEqualTo(2);
        Container serving = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(serving.getImage()).isEqualTo("registry.example.com/flywheel/serving:0.1");
        Map<String, String> env = serving.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("FLYWHEEL_MODEL", "churn").containsEntry("FLYWHEEL_MODEL_VERSION", "3");
        assertThat(serving.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/models/churn/ready");
        assertThat(serving.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(serving.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }

    @Test
    void rollingChangesThePodTemplateAndKeepsWhatOthersSet() {
        Deployment current = WORKLOAD.deployment("churn", 1, null);
        current.getSpec().setReplicas(7);
        current.getSpec().getTemplate().getMetadata().getAnnotations();
        current.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("owner", "team-a", ServingWorkload.VERSION_ANNOTATION, "1")));

        Deployment rolled = WORKLOAD.roll(current, "churn", 2, 1);

        assertThat(ServingWorkload.version(rolled)).isEqualTo(2);
        assertThat(ServingWorkload.previous(rolled)).isEqualTo(1);
        assertThat(rolled.getSpec().getReplicas()).isEqualTo(7);
        assertThat(rolled.getMetadata().getAnnotations()).containsEntry("owner", "team-a");
        assertThat(rolled.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .anyMatch(e -> e.getName().equals("FLYWHEEL_MODEL_VERSION") && e.getValue().equals("2"));
    }

    @Test
    void theServiceSelectsTheModelsPods() {
        Service service = WORKLOAD.service("churn");
        assertThat(service.getSpec().getSelector()).isEqualTo(WORKLOAD.deployment("churn", 1, null).getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts().getFirst().getPort()).isEqualTo(8080);
    }

    @Test
    void namesAreDnsLabels() {
        assertThat(ServingWorkload.name("Churn_Model.v2")).isEqualTo("serving-churn-model-v2");
        assertThat(ServingWorkload.name("m".repeat(80))).hasSize(63);
        assertThat(ServingWorkload.label("-churn+")).isEqualTo("churn");
    }
}
