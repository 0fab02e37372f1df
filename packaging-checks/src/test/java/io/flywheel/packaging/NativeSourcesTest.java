package io.flywheel.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.ClassEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Quarkus's native build steps wrote for each service (target/native-sources: the native-image
 * arguments, the runner jar with its generated metadata, the libraries), when `./flywheel test` or
 * `./mvnw package -Dnative -Dquarkus.native.sources-only=true` has run them: every record of Flywheel
 * and MinIO's reflective classes registered for reflection, the Flyway migrations included as
 * resources, and ONNX Runtime's libraries and JNI registrations where the service runs it. No GraalVM
 * runs here, so this is what can be checked short of building and running the executables.
 */
class NativeSourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NATIVE_IMAGE_METADATA = Pattern.compile("META-INF/native-image/.*(reflect|jni|resource)-config\\.json");
    private static final List<String> ONNX_RUNTIME_LIBRARIES = List.of("ai/onnxruntime/native/linux-x64/libonnxruntime.so",
            "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so");

    static List<String> services() {
        return Services.names();
    }

    @ParameterizedTest
    @MethodSource("services")
    void argumentsBuildTheRunnerWithoutFallback(String service) throws IOException {
        NativeSources sources = NativeSources.of(service);
        List<String> args = List.of(Services.read(sources.dir.resolve("native-image.args")).strip().split("\\s+"));
        assertThat(args).as("a fallback image would need a JVM after all").contains("--no-fallback");
        assertThat(args.getLast()).isEqualTo(sources.runner.getFileName().toString());
        assertThat(args.get(args.size() - 2)).isEqualTo("-jar");
    }

    @ParameterizedTest
    @MethodSource("services")
    void everyRecordAndMinioClassIsRegisteredForReflection(String service) throws IOException {
        NativeSources sources = NativeSources.of(service);
        Set<String> registered = sources.names("reflect");
        Set<String> records = new TreeSet<>();
        Set<String> minio = new TreeSet<>();
        for (Path jar : sources.jars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : file.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                    String name = entry.getName();
                    String binaryName = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                    if (name.startsWith("io/flywheel/") && isRecord(file, entry)) {
                        records.add(binaryName);
                    } else if (name.startsWith("io/minio/messages/") || name.matches("io/minio/[A-Za-z]+Args\\.class")
                            || name.matches("org/simpleframework/xml/core/[A-Za-z]+Label\\.class")) {
                        minio.add(binaryName);
                    }
                }
            }
        }
        assertThat(records).as("%s ships records", service).isNotEmpty();
        assertThat(records).as("%s: records not registered for reflection (Jackson binds them)", service)
                .allMatch(registered::contains);
        assertThat(minio).as("%s: MinIO classes not registered for reflection", service).allMatch(registered::contains);
        boolean usesMinio = sources.jars().stream().anyMatch(j -> j.getFileName().toString().startsWith("io.minio.minio-"));
        assertThat(minio.isEmpty()).as("%s ships MinIO's client", service).isEqualTo(!usesMinio);
    }

    @ParameterizedTest
    @MethodSource("services")
    void flywayMigrationsAreResources(String service) throws IOException {
        NativeSources sources = NativeSources.of(service);
        List<Pattern> patterns = sources.resourcePatterns();
        List<String> migrations;
        try (Stream<Path> files = Files.list(Services.root().resolve(service).resolve("src/main/resources/db/migration"))) {
            migrations = files.map(f -> "db/migration/" + f.getFileName()).sorted().toList();
        }
        assertThat(migrations).as("%s has migrations", service).isNotEmpty()
                .allSatisfy(m -> assertThat(patterns).as("%s included in the executable", m).anyMatch(p -> p.matcher(m).matches()));
    }

    /** ONNX Runtime, where the service runs a model on it (deploy serves, retrain evaluates). */
    @ParameterizedTest
    @MethodSource("services")
    void onnxRuntimeLibrariesAndJniRegistrationsWhereItRuns(String service) throws IOException {
        NativeSources sources = NativeSources.of(service);
        Assumptions.assumeTrue(sources.runsOnnxRuntime(), service + " loads no ONNX model (OnnxModel is not used)");
        List<Pattern> patterns = sources.resourcePatterns();
        assertThat(ONNX_RUNTIME_LIBRARIES).allSatisfy(lib -> assertThat(patterns).as(lib).anyMatch(p -> p.matcher(lib).matches()));
        assertThat(sources.names("jni")).as("%s: registered for JNI (onnx-model's jni-config.json, in lib/)", service)
                .contains("ai.onnxruntime.OrtException", "ai.onnxruntime.OnnxTensor", "ai.onnxruntime.TensorInfo");
    }

    /** A service's target/native-sources. */
    private record NativeSources(String service, Path dir, Path runner) {

        static NativeSources of(String service) throws IOException {
            Path dir = Services.root().resolve(service).resolve("target/native-sources");
            Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("native-image.args")), service
                    + " has no target/native-sources: run ./mvnw package -Dnative -Dquarkus.native.sources-only=true -pl "
                    + service + " (./flywheel test does)");
            try (Stream<Path> files = Files.list(dir)) {
                Path runner = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
                return new NativeSources(service, dir, runner);
            }
        }

        List<Path> jars() throws IOException {
            List<Path> jars = new ArrayList<>(List.of(runner));
            try (Stream<Path> files = Files.walk(dir.resolve("lib"))) {
                files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
            return jars;
        }

        /** The names of the classes that the reflect or jni configuration files of every jar register. */
        Set<String> names(String kind) throws IOException {
            Set<String> names = new TreeSet<>();
            for (JsonNode config : configs(kind)) {
                StreamSupport.stream(config.spliterator(), false).forEach(e -> names.add(e.path("name").asText()));
            }
            return names;
        }

        /** The resource patterns the executable includes (resource-config.json, as Quarkus writes them). */
        List<Pattern> resourcePatterns() throws IOException {
            List<Pattern> patterns = new ArrayList<>();
            for (JsonNode config : configs("resource")) {
                config.path("resources").path("includes").forEach(i -> patterns.add(Pattern.compile(i.path("pattern").asText())));
            }
            return patterns;
        }

        boolean runsOnnxRuntime() throws IOException {
            try (JarFile jar = new JarFile(runner.toFile())) {
                return jar.stream().filter(e -> e.getName().startsWith("io/flywheel/") && e.getName().endsWith(".class"))
                        .anyMatch(e -> StreamSupport.stream(ClassFile.of().parse(bytes(jar, e)).constantPool().spliterator(), false)
                                .anyMatch(c -> c instanceof ClassEntry k && k.asInternalName().equals("io/flywheel/onnx/OnnxModel")));
            }
        }

        private List<JsonNode> configs(String kind) throws IOException {
            List<JsonNode> configs = new ArrayList<>();
            for (Path jar : jars()) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    for (JarEntry entry : file.stream().filter(e -> NATIVE_IMAGE_METADATA.matcher(e.getName()).matches()
                            && e.getName().endsWith("/" + kind + "-config.json")).toList()) {
                        configs.add(JSON.readTree(bytes(file, entry)));
                    }
                }
            }
            return configs;
        }
    }

    private static boolean isRecord(JarFile jar, JarEntry entry) {
        return ClassFile.of().parse(bytes(jar, entry)).superclass()
                .map(s -> s.asInternalName().equals("java/lang/Record")).orElse(false);
    }

    private static byte[] bytes(JarFile jar, JarEntry entry) {
        try (var in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
