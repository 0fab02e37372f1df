package io.flywheel.manifests;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/** One overlay of deploy/kubernetes as `kubectl kustomize` renders it, in the fabric8 model. */
record Rendered(String overlay, List<HasMetadata> objects) {

    static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    static final List<String> OVERLAYS = List.of("dev", "prod");

    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** Renders once per test JVM; skips the caller (a JUnit assumption) when kubectl is missing. */
    static Rendered overlay(String overlay) {
        return CACHE.computeIfAbsent(overlay, Rendered::render);
    }

    private static Rendered render(String overlay) {
        Path dir = REPOSITORY.resolve("deploy/kubernetes/overlays").resolve(overlay);
        String yaml;
        try {
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
            yaml = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String errors = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + errors);
            }
        } catch (IOException e) {
            String reason = "tests skipped: kubectl is not on PATH (" + e.getMessage() + "); install kubectl 1.27 or later,"
                    + " whose built-in kustomize v5 renders deploy/kubernetes";
            // logged once too: Surefire shows a class aborted in @BeforeAll as 0 tests run, without the reason
            if (!WARNED.getAndSet(true)) {
                System.getLogger(Rendered.class.getName()).log(System.Logger.Level.WARNING, reason);
            }
            Assumptions.abort(reason);
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        // loading parses only: this client never connects anywhere
        try (KubernetesClient parser = new KubernetesClientBuilder().build()) {
            return new Rendered(overlay, parser.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items());
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    /** Custom resources of the operators (Strimzi, CloudNativePG), which the model has no class for. */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
    }

    static String read(String repositoryPath) {
        try {
            return Files.readString(REPOSITORY.resolve(repositoryPath));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> overlays() {
        return OVERLAYS.stream();
    }
}
