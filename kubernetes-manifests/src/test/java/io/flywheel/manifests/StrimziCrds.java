package io.flywheel.manifests;

import io.fabric8.crdv2.generator.CRDGenerationInfo;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Strimzi's CRDs, generated with fabric8's crd-generator from the classes of {@code io.strimzi:api}
 * (the same classes Strimzi's operator reads the resources into), so the API server validates the
 * manifests' Kafka, KafkaNodePool and KafkaTopic against Strimzi's own schema. Strimzi annotates its
 * classes for its own generator; the subclasses below carry the group, version and names that
 * fabric8's generator reads, as the manifests use them (kafka.strimzi.io/v1beta2).
 */
final class StrimziCrds {

    @Group("kafka.strimzi.io")
    @Version("v1beta2")
    @Kind("Kafka")
    @Plural("kafkas")
    static final class KafkaV1beta2 extends Kafka {
    }

    @Group("kafka.strimzi.io")
    @Version("v1beta2")
    @Kind("KafkaNodePool")
    @Plural("kafkanodepools")
    static final class KafkaNodePoolV1beta2 extends KafkaNodePool {
    }

    @Group("kafka.strimzi.io")
    @Version("v1beta2")
    @Kind("KafkaTopic")
    @Plural("kafkatopics")
    static final class KafkaTopicV1beta2 extends KafkaTopic {
    }

    private StrimziCrds() {
    }

    static List<CustomResourceDefinition> generate(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CRDGenerationInfo generated = new CRDGenerator().inOutputDir(dir.toFile()).forCRDVersions("v1")
                .customResourceClasses(KafkaV1beta2.class, KafkaNodePoolV1beta2.class, KafkaTopicV1beta2.class)
                .detailedGenerate();
        return generated.getCRDDetailsPerNameAndVersion().values().stream()
                .map(versions -> versions.get("v1").getFilePath())
                .map(StrimziCrds::read)
                .peek(crd -> crd.getSpec().getVersions().forEach(v -> untypedMapsPreserved(v.getSchema().getOpenAPIV3Schema())))
                .toList();
    }

    /** Creates the CRDs and waits until the server serves them. */
    static void install(KubernetesClient client, List<CustomResourceDefinition> crds) {
        for (CustomResourceDefinition crd : crds) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
        for (CustomResourceDefinition crd : crds) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream()
                            .anyMatch(cond -> cond.getType().equals("Established") && cond.getStatus().equals("True")), 30, TimeUnit.SECONDS);
        }
    }

    /**
     * Strimzi's {@code Map<String, Object>} fields ({@code config}: numbers, strings, booleans) are
     * {@code x-kubernetes-preserve-unknown-fields} in Strimzi's own CRDs; fabric8's generator types
     * their values as objects instead, which would reject {@code retention.ms: 604800000}.
     */
    static void untypedMapsPreserved(JSONSchemaProps schema) {
        if (schema == null) {
            return;
        }
        JSONSchemaProps values = schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema();
        if (values != null && "object".equals(values.getType()) && values.getProperties().isEmpty() && values.getAdditionalProperties() == null) {
            schema.setAdditionalProperties(null);
            schema.setXKubernetesPreserveUnknownFields(true);
        }
        schema.getProperties().values().forEach(StrimziCrds::untypedMapsPreserved);
        if (schema.getItems() != null) {
            untypedMapsPreserved(schema.getItems().getSchema());
        }
        if (values != null) {
            untypedMapsPreserved(values);
        }
    }

    private static CustomResourceDefinition read(String file) {
        try (InputStream in = new FileInputStream(file)) {
            return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
