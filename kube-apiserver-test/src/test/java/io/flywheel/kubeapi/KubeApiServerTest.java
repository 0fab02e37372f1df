package io.flywheel.kubeapi;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness against the real server: admin rights, a ServiceAccount's RBAC, and kubectl's kubeconfig. */
class KubeApiServerTest {

    private static KubeApiServer server;

    @BeforeAll
    static void start() {
        server = KubeApiServer.start();
        System.out.printf("kube-apiserver started in %d ms%n", server.startupTime().toMillis());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aServiceAccountMayDoWhatItsRoleGrantsAndNothingElse() {
        KubernetesClient admin = server.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("harness").endMetadata().build()).create();
        admin.serviceAccounts().inNamespace("harness")
                .resource(new ServiceAccountBuilder().withNewMetadata().withName("reader").endMetadata().build()).create();
        admin.rbac().roles().inNamespace("harness").resource(new RoleBuilder().withNewMetadata().withName("config-reader").endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list").endRule().build()).create();
        admin.rbac().roleBindings().inNamespace("harness").resource(new RoleBindingBuilder().withNewMetadata().withName("reader").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "config-reader")
                .addNewSubject().withKind("ServiceAccount").withName("reader").withNamespace("harness").endSubject().build()).create();
        admin.configMaps().inNamespace("harness")
                .resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata().addToData("k", "v").build()).create();

        try (KubernetesClient reader = server.clientFor("harness", "reader")) {
            assertThat(reader.configMaps().inNamespace("harness").withName("settings").get().getData()).containsEntry("k", "v");
            assertThatThrownBy(() -> reader.configMaps().inNamespace("harness")
                    .resource(new ConfigMapBuilder().withNewMetadata().withName("other").endMetadata().build()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
            assertThatThrownBy(() -> reader.configMaps().inNamespace("default").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    @Test
    void kubectlReachesTheServerWithTheKubeconfig() throws Exception {
        assertThat(server.kubeconfig()).isRegularFile();
        Process kubectl = new ProcessBuilder("kubectl", "--kubeconfig", server.kubeconfig().toString(), "version", "--output=json")
                .redirectErrorStream(true).start();
        assertThat(kubectl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(kubectl.getInputStream().readAllBytes());
        assertThat(kubectl.exitValue()).as(out).isZero();
        assertThat(out).contains("\"gitVersion\": \"v1.20.2\"");
        assertThat(Files.readString(server.kubeconfig())).contains("server: https://");
    }
}
