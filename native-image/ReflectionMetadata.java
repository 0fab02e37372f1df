import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the reflection a service's native executable needs and no Quarkus build step can see, as
 * GraalVM reachability metadata (reflect-config.json), from the classes on the service's class path:
 *
 * - every record of Flywheel (io.flywheel.**): records are its DTOs, events and stored values, and
 *   Jackson binds many of them through ObjectMapper calls (the outbox, jsonb columns, Kafka payloads)
 *   that are not REST signatures, which are all Quarkus registers by itself;
 * - MinIO's client, which ships no native-image metadata: its XML messages (bound by simple-xml
 *   through reflection), its argument classes (built by reflection in BaseArgs.Builder) and
 *   simple-xml's Label classes, the set quarkiverse's quarkus-minio extension registers.
 *
 * Run by the parent pom's `native` profile in each service, at process-classes:
 *   java native-image/ReflectionMetadata.java OUTPUT CLASSPATH
 * The entries are those Quarkus writes for a REST record. packaging-checks' NativeSourcesTest checks
 * the result in target/native-sources.
 */
public class ReflectionMetadata {

    private static final String FLYWHEEL = "io/flywheel/";
    private static final List<PathMatcher> MINIO = Stream.of("io/minio/messages/**", "io/minio/*Args.class",
            "org/simpleframework/xml/core/*Label.class").map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java ReflectionMetadata.java OUTPUT CLASSPATH");
            System.exit(2);
        }
        TreeSet<String> names = new TreeSet<>();
        for (String entry : args[1].split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        select(path.relativize(file).toString().replace('\\', '/'), () -> read(file)).ifPresent(names::add);
                    }
                }
            } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    jar.stream().filter(e -> e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/"))
                            .forEach(e -> select(e.getName(), () -> read(jar, e)).ifPresent(names::add));
                }
            }
        }
        Path output = Path.of(args[0]);
        Files.createDirectories(output.getParent());
        Files.writeString(output, names.stream()
                .map(n -> "  {\"name\": \"" + n + "\", \"allDeclaredClasses\": true, \"allDeclaredConstructors\": true,"
                        + " \"allDeclaredMethods\": true, \"allDeclaredFields\": true}")
                .collect(Collectors.joining(",\n", "[\n", "\n]\n")));
        System.out.println("[native-image] " + names.size() + " classes registered for reflection in " + output);
    }

    /** The class's binary name when it is to be registered. */
    private static Optional<String> select(String file, BytesSupplier bytes) {
        String binaryName = file.substring(0, file.length() - ".class".length()).replace('/', '.');
        if (file.startsWith(FLYWHEEL)) {
            ClassModel model = ClassFile.of().parse(bytes.get());
            boolean record = model.superclass().map(s -> s.asInternalName().equals("java/lang/Record")).orElse(false);
            return record ? Optional.of(binaryName) : Optional.empty();
        }
        Path path = Path.of(file);
        return MINIO.stream().anyMatch(m -> m.matches(path)) ? Optional.of(binaryName) : Optional.empty();
    }

    private interface BytesSupplier {
        byte[] get();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(JarFile jar, java.util.jar.JarEntry entry) {
        try (var in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
