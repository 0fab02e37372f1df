package io.flywheel.packaging;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service's Dockerfile.jvm and Dockerfile.native, read since no container engine runs here:
 * the COPY sources are Quarkus's build layout (and exist when the service is packaged), EXPOSE is
 * the port its configuration sets, the container runs as a user other than root, the base image is
 * pinned, nothing secret is set; and the manifests name the images flywheel/&lt;service&gt;.
 */
class ImagesTest {

    /** The fast-jar layout (target/quarkus-app) and the native executable, as Quarkus 3.33 writes them. */
    private static final Set<String> JVM_SOURCES = Set.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar",
            "target/quarkus-app/app/", "target/quarkus-app/quarkus/");
    private static final Set<String> NATIVE_SOURCES = Set.of("target/*-runner");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|api_?key|private_?key|credential).*");
    private static final Pattern IMAGE = Pattern.compile("(?m)^\\s*-?\\s*image:\\s*[\"']?([^\\s\"']+)");

    static List<String> services() {
        return Services.names();
    }

    @Test
    void everyServiceIsFound() {
        assertThat(services()).containsExactlyInAnyOrder("registry-service", "monitor-service", "retrain-service",
                "deploy-service", "gateway");
    }

    @ParameterizedTest
    @MethodSource("services")
    void jvmImageCopiesTheFastJarAndRunsAsNonRoot(String service) {
        Dockerfile jvm = dockerfile(service, "Dockerfile.jvm");
        List<String> sources = jvm.copies().stream().flatMap(c -> c.sources().stream()).toList();
        assertThat(sources).as("%s Dockerfile.jvm COPY sources", service).containsExactlyInAnyOrderElementsOf(JVM_SOURCES);
        assertThat(jvm.runtimeImage()).as("the JVM base image (Quarkus 3.33's default for Java 25)")
                .startsWith("registry.access.redhat.com/ubi9/openjdk-25");
        assertThat(entrypointAndEnv(jvm)).contains("/deployments/quarkus-run.jar", "-Dquarkus.http.host=0.0.0.0");
        checkCommon(service, jvm);
    }

    @ParameterizedTest
    @MethodSource("services")
    void nativeImageCopiesTheRunnerAndRunsAsNonRoot(String service) {
        Dockerfile nativeImage = dockerfile(service, "Dockerfile.native");
        List<String> sources = nativeImage.copies().stream().flatMap(c -> c.sources().stream()).toList();
        assertThat(sources).as("%s Dockerfile.native COPY sources", service).containsExactlyElementsOf(NATIVE_SOURCES);
        assertThat(nativeImage.runtimeImage()).startsWith("registry.access.redhat.com/ubi9/ubi-minimal:");
        assertThat(entrypointAndEnv(nativeImage)).contains("-Dquarkus.http.host=0.0.0.0");
        checkCommon(service, nativeImage);
    }

    /** When the service has been packaged (as in ./flywheel test), every COPY source is really there. */
    @ParameterizedTest
    @MethodSource("services")
    void jvmCopySourcesExistInThePackagedService(String service) throws IOException {
        Path module = Services.root().resolve(service);
        Assumptions.assumeTrue(Files.isRegularFile(module.resolve("target/quarkus-app/quarkus-run.jar")),
                service + " is not packaged in this checkout (./mvnw package): COPY sources checked against the layout only");
        for (Dockerfile.Copy copy : dockerfile(service, "Dockerfile.jvm").copies()) {
            for (String source : copy.sources()) {
                assertThat(matches(module, source)).as("%s: COPY %s matches something in %s", service, source, module).isNotEmpty();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void buildContextLeavesOutEverythingButTheBuild(String service) {
        Path ignore = Services.root().resolve(service).resolve(".dockerignore");
        assertThat(ignore).exists();
        assertThat(Services.read(ignore).lines().map(String::strip).toList())
                .as("%s/.dockerignore: everything out, then the build outputs back in", service)
                .startsWith("*").contains("!target/*-runner", "!target/quarkus-app/*");
    }

    /**
     * The manifests (deploy/kubernetes, written beside this module) must name each service's image
     * flywheel/&lt;service&gt;, which the CD workflow pushes and `kustomize edit set image` retags.
     */
    @Test
    void manifestsNameTheImagesTheDockerfilesBuild() throws IOException {
        Path manifests = Services.root().resolve("deploy/kubernetes");
        Assumptions.assumeTrue(Files.isDirectory(manifests),
                "deploy/kubernetes is not in this checkout: manifests' image names unchecked (hook for issue 17 point 1)");
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(manifests)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).toList()) {
                Matcher image = IMAGE.matcher(Services.read(file));
                while (image.find()) {
                    String name = image.group(1).replaceFirst("[:@].*$", "");
                    if (name.startsWith("flywheel/")) {
                        named.add(name);
                    }
                }
            }
        }
        assertThat(named).as("flywheel images the manifests name")
                .containsExactlyInAnyOrderElementsOf(services().stream().map(Services::image).toList());
    }

    private static void checkCommon(String service, Dockerfile dockerfile) {
        assertThat(dockerfile.exposedPorts()).as("%s EXPOSE = quarkus.http.port", service)
                .containsExactly(Services.httpPort(service));
        assertThat(dockerfile.user()).as("%s USER", service).isPresent();
        String user = dockerfile.user().orElseThrow().split(":")[0];
        assertThat(user).as("%s runs as a numeric non-root user (Kubernetes' runAsNonRoot can verify only a number)", service)
                .matches("[1-9][0-9]*");
        assertThat(dockerfile.runtimeImage()).as("%s base image pinned to a tag", service).matches(".+:[^/]+");
        assertThat(dockerfile.variables()).as("%s ENV/ARG names", service).noneMatch(n -> SECRET_NAME.matcher(n).matches());
        assertThat(dockerfile.copies()).allSatisfy(c -> assertThat(c.sources())
                .noneMatch(s -> s.contains(".flywheel") || s.contains("secret") || s.contains(".env")));
    }

    private static String entrypointAndEnv(Dockerfile dockerfile) {
        return Stream.concat(dockerfile.all("ENTRYPOINT").stream(), dockerfile.all("ENV").stream())
                .map(Dockerfile.Instruction::arguments).reduce("", (a, b) -> a + "\n" + b);
    }

    private static Dockerfile dockerfile(String service, String name) {
        Path file = Services.root().resolve(service).resolve("src/main/docker").resolve(name);
        assertThat(file).as("%s has %s", service, name).exists();
        return Dockerfile.parse(Services.read(file));
    }

    /** The files or directories a COPY source (relative to the build context, perhaps a glob) names. */
    private static List<Path> matches(Path context, String source) throws IOException {
        String pattern = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        Path base = context.resolve(pattern).getParent(); // a glob only in the last name, as Quarkus's COPYs
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(base)) {
            return children.filter(p -> matcher.matches(context.relativize(p))).toList();
        }
    }
}
