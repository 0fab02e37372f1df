package io.flywheel.manifests;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/** What a service's application.properties says that its manifests must agree with. */
record ServiceSettings(String service, int port, Set<String> topics) {

    static final List<String> SERVICES = List.of("registry-service", "monitor-service", "retrain-service", "deploy-service", "gateway");

    static ServiceSettings of(String service) {
        return parse(service, Rendered.read(service + "/src/main/resources/application.properties"));
    }

    /** The port and every Kafka topic its channels name (profile-prefixed keys such as %test. are not the cluster's). */
    static ServiceSettings parse(String service, String applicationProperties) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(applicationProperties));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        Set<String> topics = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("mp.messaging.") && (key.endsWith(".topic") || key.endsWith(".topics"))) {
                topics.addAll(List.of(properties.getProperty(key).split(",")));
            }
        }
        return new ServiceSettings(service, Integer.parseInt(properties.getProperty("quarkus.http.port")), topics);
    }
}
