package io.flywheel.readiness;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.Readiness;

import java.util.HashMap;
import java.util.Map;

/**
 * Ready while a Kafka broker answers. One admin client, made with the service's own Kafka settings
 * (Quarkus's default-kafka-broker: bootstrap servers, security), asks for the cluster's nodes.
 */
@Readiness
@ApplicationScoped
public class KafkaProbe extends BackgroundProbe {

    private final AdminClient admin;

    public KafkaProbe(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "readiness-probe");
        this.admin = AdminClient.create(config);
    }

    @Override
    protected String name() {
        return "Kafka";
    }

    @Override
    protected Uni<Map<String, Object>> probe() {
        return Uni.createFrom().completionStage(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                        .nodes().toCompletionStage())
                .map(nodes -> {
                    if (nodes.isEmpty()) {
                        throw new IllegalStateException("the cluster has no broker");
                    }
                    return Map.of("brokers", nodes.size());
                });
    }

    @PreDestroy
    void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
