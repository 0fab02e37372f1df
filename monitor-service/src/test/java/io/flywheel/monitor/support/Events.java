package io.flywheel.monitor.support;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Binary-mode CloudEvents as the producers of Flywheel write them. */
public final class Events {

    private Events() {
    }

    public static ProducerRecord<String, String> cloudEvent(String topic, String key, String type, String payload) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(UUID.randomUUID().toString()));
        headers.add("ce_type", bytes(type));
        headers.add("ce_source", bytes("test"));
        headers.add("content-type", bytes("application/json"));
        return new ProducerRecord<>(topic, null, key, payload, headers);
    }

    public static String prediction(String requestId, String model, int version, String time, String inputs, String output) {
        return """
                {"request_id":"%s","model":"%s","version":%d,"environment":"production",
                 "inputs":%s,"output":%s,"latency_ms":0.4,"time":"%s"}""".formatted(requestId, model, version, inputs, output, time);
    }

    public static String label(String requestId, String model, String label) {
        return """
                {"request_id":"%s","model":"%s","label":%s,"time":"2026-11-26T11:00:00Z"}""".formatted(requestId, model, label);
    }

    public static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
