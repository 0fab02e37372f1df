package io.flywheel.gateway.llm;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The test topic of trace records, read from its start with a plain consumer; a project's records by their key's prefix. */
final class TraceRecords implements AutoCloseable {

    private final KafkaCompanion kafka;
    private final ConsumerTask<String, String> records;

    TraceRecords() {
        var config = ConfigProvider.getConfig();
        kafka = new KafkaCompanion(config.getValue("kafka.bootstrap.servers", String.class));
        records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(config.getValue("mp.messaging.outgoing.traces-out.topic", String.class));
    }

    List<ConsumerRecord<String, String>> of(String project) {
        return records.stream().filter(r -> r.key() != null && r.key().startsWith(project + "/")).toList();
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
