package io.flywheel.packaging;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository the checks read, and its services: the modules of the parent pom that the Quarkus
 * Maven plugin builds into an application.
 */
final class Services {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private Services() {
    }

    /** The repository's root: surefire runs a module's tests in the module's directory. */
    static Path root() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    }

    static List<String> names() {
        Path root = root();
        Matcher modules = MODULE.matcher(read(root.resolve("pom.xml")));
        return modules.results().map(m -> m.group(1).strip())
                .filter(module -> read(root.resolve(module).resolve("pom.xml")).contains("<artifactId>quarkus-maven-plugin</artifactId>"))
                .toList();
    }

    /** The port the service listens on in production: quarkus.http.port of its application.properties. */
    static int httpPort(String service) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(root().resolve(service).resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String port = properties.getProperty("quarkus.http.port");
        if (port == null) {
            throw new IllegalStateException(service + " sets no quarkus.http.port (Quarkus would listen on 8080)");
        }
        return Integer.parseInt(port.strip());
    }

    /** The image a service's manifests and the CD workflow name (without registry and tag). */
    static String image(String service) {
        return "flywheel/" + service;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
