package io.flywheel.deploy.support;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/** Kafka records as the producing service sends them: binary-mode CloudEvents, key = model name. */
public final class CloudEventRecords {

    public static ProducerRecord<String, String> cloudEvent(String topic, String id, String key, String type, String payload) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(id));
        headers.add("ce_type", bytes(type));
        headers.add("ce_source", bytes("test"));
        headers.add("content-type", bytes("application/json"));
        return new ProducerRecord<>(topic, null, key, payload, headers);
    }

    public static ProducerRecord<String, String> plain(String topic, String key, String payload) {
        return new ProducerRecord<>(topic, key, payload);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private CloudEventRecords() {
    }
}
