package io.flywheel.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flywheel.kubeapi.KubeApiServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * A real kube-apiserver for a @QuarkusTest, with the namespace {@value #NAMESPACE} and the ServiceAccount
 * deploy-service holding only the verbs the serving target uses; the application's client
 * (quarkus-kubernetes-client) authenticates as that ServiceAccount, through a kubeconfig.
 */
public class KubeApiServerResource implements QuarkusTestResourceLifecycleManager {

    static final String NAMESPACE = "serving-loop";
    private static KubeApiServer server;

    /**
     * The one server of this test JVM, started on first use and stopped when the JVM exits: a second
     * kube-api-test server in the same JVM failed its TLS handshakes, and one start (15-20 s) is enough.
     */
    static synchronized KubeApiServer server() {
        if (server == null) {
            server = KubeApiServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    /** The verbs KubernetesServingTarget uses, and no more. */
    static void grantServingTarget(KubernetesClient admin, String namespace, String account) {
        admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata().withName(account)
                .endMetadata().build()).create();
        admin.rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata().withName("serving-target").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("apps").withResources("deployments")
                                .withVerbs("get", "list", "watch", "create", "patch").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("services").withVerbs("get", "create").build())
                .build()).create();
        admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata().withName("serving-target")
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "serving-target")
                .addNewSubject().withKind("ServiceAccount").withName(account).withNamespace(namespace).endSubject()
                .build()).create();
    }

    static void createNamespace(KubernetesClient admin, String namespace) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }

    /** Set (to the reason) when the server could not start, so the test class can skip saying why. */
    static final String SKIPPED = "flywheel.test.kube-apiserver.skipped";

    /** Skips the calling test when the server could not start (a binary missing), with the harness's reason. */
    static void assumeStarted() {
        String reason = System.getProperty(SKIPPED);
        Assumptions.assumeTrue(reason == null, reason);
    }

    @Override
    public Map<String, String> start() {
        KubeApiServer server;
        try {
            server = server();
        } catch (TestAbortedException e) {
            // thrown here, it would fail the application's start instead of skipping: the test skips in its @BeforeEach
            System.setProperty(SKIPPED, e.getMessage());
            return Map.of("deploy.kubernetes.enabled", "false");
        }
        createNamespace(server.admin(), NAMESPACE);
        grantServingTarget(server.admin(), NAMESPACE, "deploy-service");
        try (KubernetesClient deploy = server.clientFor(NAMESPACE, "deploy-service")) {
            // the extension's client settings are fixed at build time; fabric8 reads the kubeconfig named by this property when it
            // builds the client, at run time, as it reads a pod's ServiceAccount in a cluster
            var config = deploy.getConfiguration();
            String kubeconfig = """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: test, cluster: {server: "%s", certificate-authority-data: "%s"}}]
                    users: [{name: deploy-service, user: {token: "%s"}}]
                    contexts: [{name: test, context: {cluster: test, user: deploy-service, namespace: %s}}]
                    current-context: test
                    """.formatted(config.getMasterUrl(), caData(config), config.getOauthToken(), NAMESPACE);
            Path file = Files.writeString(Files.createTempFile("deploy-service-", ".kubeconfig"), kubeconfig);
            file.toFile().deleteOnExit();
            System.setProperty("kubeconfig", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of();
    }

    private static String caData(io.fabric8.kubernetes.client.Config config) throws IOException {
        return config.getCaCertData() != null ? config.getCaCertData()
                : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    }

    @Override
    public void stop() {
        System.clearProperty("kubeconfig");
    }
}
