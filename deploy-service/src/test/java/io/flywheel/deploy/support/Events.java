package io.flywheel.deploy.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reading the CloudEvents deploy produces, as a consumer would. */
public final class Events {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Events() {
    }

    public static String type(ConsumerRecord<String, String> record) {
        var header = record.headers().lastHeader("ce_type");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static Map<String, Object> payload(ConsumerRecord<String, String> record) {
        try {
            return JSON.readValue(record.value(), new TypeReference<>() {
            });
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + record.value(), e);
        }
    }
}
