package io.flywheel.monitor.ingest;

import io.flywheel.readiness.UntilAvailable;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;

/**
 * The dead-letter topic for the channels that read a Kafka poll at a time (predictions, traces): a batch
 * can't be nacked record by record, so its unusable records are sent here, with the headers SmallRye's
 * own dead-letter strategy writes (reason, topic, partition, offset), and the batch goes on.
 */
@ApplicationScoped
public class DeadLetterTopic {

    public static final String REASON_HEADER = "dead-letter-reason";

    private final MutinyEmitter<String> emitter;

    public DeadLetterTopic(@Channel("dead-letters") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Sends the record with its reason; while Kafka does not take it, waits and tries again rather than fail the channel. */
    public Uni<Void> send(String channel, ConsumerRecord<String, String> record, String reason) {
        return send(channel, record.topic(), record.partition(), record.offset(), record.key(), record.value(), record.headers(), reason);
    }

    /** As {@link #send(String, ConsumerRecord, String)}, for a record of a batch message. */
    public Uni<Void> send(String channel, KafkaRecord<String, String> record, String reason) {
        return send(channel, record.getTopic(), record.getPartition(), offset(record), record.getKey(), record.getPayload(),
                record.getHeaders(), reason);
    }

    public static long offset(KafkaRecord<?, ?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
    }

    private Uni<Void> send(String channel, String topic, int partition, long offset, String key, String value, Headers original,
                           String reason) {
        RecordHeaders headers = new RecordHeaders(original.toArray());
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", topic.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        Message<String> out = Message.of(value == null ? "" : value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build());
        return UntilAvailable.retry(channel, () -> emitter.sendMessage(out));
    }
}
