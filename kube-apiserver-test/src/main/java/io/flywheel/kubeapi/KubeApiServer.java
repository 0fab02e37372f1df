package io.flywheel.kubeapi;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Assumptions;
import org.tukaani.xz.XZInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real kube-apiserver v1.20.2 with its etcd, for one test class: {@code start()} in
 * {@code @BeforeAll}, {@code close()} in {@code @AfterAll}. It validates, defaults, enforces RBAC and
 * serves watches and CRDs; it runs no pods (no kubelet, scheduler or controllers). When a binary is
 * missing, {@code start()} aborts the calling test (a JUnit assumption) saying which and how to get it.
 */
public final class KubeApiServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KubeApiServer.class.getName());

    private final KubeAPIServer server;
    private final Path dir;
    private final Path kubeconfig;
    private final Config adminConfig;
    private final KubernetesClient admin;
    private final Duration startup;

    private KubeApiServer(KubeAPIServer server, Path dir, Path kubeconfig, Config adminConfig, Duration startup) {
        this.server = server;
        this.dir = dir;
        this.kubeconfig = kubeconfig;
        this.adminConfig = adminConfig;
        this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
        this.startup = startup;
    }

    /** Starts a server in a fresh directory of its own (so parallel builds never share certificates). */
    public static KubeApiServer start() {
        Path apiServer = apiServerBinary();
        try {
            Path dir = Files.createTempDirectory("kube-apiserver-test-");
            // the layout kube-api-test's offline mode expects: <dir>/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}
            Path bin = Files.createDirectories(dir.resolve("k8s").resolve(BinarySearch.VERSION + "-linux-amd64"));
            Files.createSymbolicLink(bin.resolve("kube-apiserver"), apiServer);
            Files.createSymbolicLink(bin.resolve("etcd"), BinarySearch.DEBIAN_ETCD);
            Files.createSymbolicLink(bin.resolve("kubectl"), BinarySearch.onPath("kubectl", System.getenv("PATH")).orElseThrow());

            KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withTestDir(dir.toString())
                    .withApiServerVersion(BinarySearch.VERSION)
                    .withOfflineMode(true)
                    .withUpdateKubeConfig(false)
                    .build());
            long begin = System.nanoTime();
            server.start();
            Duration startup = Duration.ofNanos(System.nanoTime() - begin);
            LOG.log(System.Logger.Level.INFO, "kube-apiserver v{0} started in {1} ms", BinarySearch.VERSION, startup.toMillis());

            String yaml = server.getKubeConfigYaml();
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), yaml);
            return new KubeApiServer(server, dir, kubeconfig, Config.fromKubeconfig(yaml), startup);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client with the cluster-admin rights of the server's own certificate. */
    public KubernetesClient admin() {
        return admin;
    }

    /**
     * A new client (the caller closes it) that authenticates with a token of the ServiceAccount, which
     * must exist: what it may do is what its RBAC grants, as in a cluster.
     */
    public KubernetesClient clientFor(String namespace, String serviceAccount) {
        String token = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        Config config = new ConfigBuilder()
                .withMasterUrl(adminConfig.getMasterUrl())
                .withCaCertData(adminConfig.getCaCertData())
                .withCaCertFile(adminConfig.getCaCertFile())
                .withOauthToken(token)
                .withNamespace(namespace)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The admin kubeconfig, for {@code kubectl --kubeconfig}. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** How long {@code start()} waited for the server to be ready. */
    public Duration startupTime() {
        return startup;
    }

    @Override
    public void close() {
        admin.close();
        server.stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + dir, e);
        }
    }

    /** The kube-apiserver binary, unpacked from its .xz when only that was found; aborts the test when a binary is missing. */
    private static Path apiServerBinary() {
        Optional<Path> repository = repositoryRoot(Path.of("").toAbsolutePath());
        Path lib = Optional.ofNullable(System.getenv("FLYWHEEL_STATE")).map(Path::of)
                .or(() -> repository.map(root -> root.resolve(".flywheel")))
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "flywheel"))
                .resolve("lib");
        // beside the checkout's parent, where these build machines keep it (a clone elsewhere has no
        // ../shared), then where ./flywheel test unpacks it
        List<Path> searched = Stream.of(
                repository.map(root -> root.resolveSibling("shared").resolve("k8s")).stream(),
                Stream.of(Path.of("/work/shared/k8s"), lib)).flatMap(s -> s).map(Path::normalize).distinct().toList();
        Optional<String> configured = Optional.ofNullable(System.getProperty("flywheel.kube-apiserver"))
                .or(() -> Optional.ofNullable(System.getenv("FLYWHEEL_KUBE_APISERVER")));

        var found = new BinarySearch.Found(
                BinarySearch.apiServer(configured, searched),
                Optional.of(BinarySearch.DEBIAN_ETCD).filter(Files::isExecutable),
                BinarySearch.onPath("kubectl", System.getenv("PATH")));
        List<String> missing = found.missing(configured.map(path -> List.of(Path.of(path))).orElse(searched));
        if (!missing.isEmpty()) {
            // logged too: Surefire counts a class aborted in @BeforeAll as 0 tests run, without the reason
            String reason = "tests skipped: a real kube-apiserver cannot start here; missing " + String.join("; ", missing);
            LOG.log(System.Logger.Level.WARNING, reason);
            Assumptions.abort(reason);
        }
        Path apiServer = found.apiServer().orElseThrow();
        return BinarySearch.isArchive(apiServer) ? unpacked(apiServer, lib.resolve(BinarySearch.UNPACKED)) : apiServer;
    }

    /** Unpacks once; parallel builds each write their own file and the last move wins, whole. */
    private static Path unpacked(Path archive, Path target) {
        if (Files.isExecutable(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), BinarySearch.UNPACKED, ".part");
            try (InputStream in = new XZInputStream(Files.newInputStream(archive))) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            partial.toFile().setExecutable(true);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.log(System.Logger.Level.INFO, "unpacked {0} into {1}", archive, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + archive + " into " + target, e);
        }
    }

    /** The checkout: the nearest directory up from here holding the launcher and the Maven wrapper. */
    static Optional<Path> repositoryRoot(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("flywheel")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
