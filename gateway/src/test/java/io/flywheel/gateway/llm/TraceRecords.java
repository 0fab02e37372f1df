package io.flywheel.gateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceBatch;
import io.flywheel.events.TraceUpserted;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The test topic of trace records, read from its start with a plain consumer; a project's records by their key's prefix. */
final class TraceRecords implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaCompanion kafka;
    private final ConsumerTask<String, String> records;

    TraceRecords() {
        var config = ConfigProvider.getConfig();
        kafka = new KafkaCompanion(config.getValue("kafka.bootstrap.servers", String.class));
        records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(config.getValue("mp.messaging.outgoing.traces-out.topic", String.class));
    }

    /** A project's events, a batch record's one by one (each as a record of its own event's type, the batch's other headers). */
    List<ConsumerRecord<String, String>> of(String project) {
        List<ConsumerRecord<String, String>> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records.stream().filter(r -> r.key() != null && r.key().startsWith(project + "/")).toList()) {
            if (!TraceBatch.TYPE.equals(header(r, "ce_type"))) {
                events.add(r);
                continue;
            }
            try {
                JsonNode batch = JSON.readTree(r.value());
                unpack(r, batch.path("traces"), TraceUpserted.TYPE, events);
                unpack(r, batch.path("observations"), ObservationUpserted.TYPE, events);
                unpack(r, batch.path("scores"), ScoreUpserted.TYPE, events);
            } catch (Exception e) {
                throw new IllegalStateException("a trace batch record is not JSON: " + r.value(), e);
            }
        }
        return events;
    }

    private static void unpack(ConsumerRecord<String, String> batch, JsonNode array, String type, List<ConsumerRecord<String, String>> into) {
        for (JsonNode event : array) {
            RecordHeaders headers = new RecordHeaders(batch.headers().toArray());
            headers.remove("ce_type");
            headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
            into.add(new ConsumerRecord<>(batch.topic(), batch.partition(), batch.offset(), batch.timestamp(), batch.timestampType(),
                    batch.serializedKeySize(), batch.serializedValueSize(), batch.key(), event.toString(), headers, Optional.empty()));
        }
    }

    List<ConsumerRecord<String, String>> of(String project, String type) {
        return of(project).stream().filter(r -> type.equals(header(r, "ce_type"))).toList();
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        records.close();
        kafka.close();
    }
}
