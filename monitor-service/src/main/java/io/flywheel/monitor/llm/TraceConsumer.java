package io.flywheel.monitor.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.monitor.ingest.DeadLetterTopic;
import io.flywheel.monitor.ingest.MalformedEventException;
import io.flywheel.monitor.llm.online.OnlineEvaluation;
import io.flywheel.problem.Unavailability;
import io.flywheel.readiness.UntilAvailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Traces, observations and scores from {@code flywheel.traces}, a Kafka poll at a time: the batch's
 * records are read, the good ones stored together ({@link TraceStore}: a few statements per batch,
 * deduplicated by event id), the offsets committed once they are stored. A record that can't be read
 * (not a CloudEvent, an unknown type, JSON that breaks its record's contract) goes to the dead-letter
 * topic with the reason in {@code dead-letter-reason}, and the rest of the batch is stored. When the
 * batch as a whole is refused by PostgreSQL for something other than an outage (a value it won't take,
 * such as a NUL character in JSON), its records are stored one by one and only the refused ones are
 * dead-lettered. While PostgreSQL is down the batch waits and tries again (readiness/UntilAvailable).
 */
@ApplicationScoped
public class TraceConsumer {

    static final String CHANNEL = "traces";

    /** A record and its events (one, or a batch's), or why it can't be read or stored. */
    private record Item(ConsumerRecord<String, String> record, List<Received> received, String problem) {
    }

    private final TraceEventReader reader;
    private final TraceStore store;
    private final OnlineEvaluation online;
    private final DeadLetterTopic deadLetters;
    private final Map<String, Counter> stored;
    private final Counter duplicates;
    private final Counter deadLettered;
    private final Counter refusedScores;

    public TraceConsumer(ObjectMapper json, TraceStore store, OnlineEvaluation online,
                         DeadLetterTopic deadLetters, MeterRegistry meters) {
        this.reader = new TraceEventReader(json);
        this.store = store;
        this.online = online;
        this.deadLetters = deadLetters;
        this.stored = Map.of(
                "trace", meters.counter("flywheel.monitor.llm.traces", "outcome", "stored"),
                "observation", meters.counter("flywheel.monitor.llm.observations", "outcome", "stored"),
                "score", meters.counter("flywheel.monitor.llm.scores", "outcome", "stored"));
        this.refusedScores = meters.counter("flywheel.monitor.llm.scores", "outcome", "refused");
        this.duplicates = meters.counter("flywheel.monitor.llm.duplicates");
        this.deadLettered = meters.counter("flywheel.monitor.llm.dead-lettered");
    }

    @Incoming(CHANNEL)
    @SuppressWarnings("unchecked")
    public Uni<Void> consume(Message<List<String>> batch) {
        IncomingKafkaRecordBatchMetadata<String, String> metadata = batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .orElseThrow(() -> new IllegalStateException("the traces channel must be a Kafka batch channel"));
        List<Item> items = new ArrayList<>();
        for (ConsumerRecord<String, String> record : metadata.getRecords()) {
            try {
                String source = record.topic() + "-" + record.partition() + "@" + record.offset();
                items.add(new Item(record, reader.read(header(record, "ce_type"), header(record, "ce_id"), record.value(), source), null));
            } catch (MalformedEventException e) {
                items.add(new Item(record, null, e.getMessage()));
            }
        }
        List<Received> good = items.stream().filter(i -> i.received() != null).flatMap(i -> i.received().stream()).toList();
        return UntilAvailable.retry(CHANNEL, () -> store.store(good))
                .map(s -> {
                    count(s);
                    online.offer(good); // sampled generations, scored off this path once stored
                    return items.stream().filter(i -> i.problem() != null).toList();
                })
                .onFailure(f -> !Unavailability.isTransient(f)).recoverWithUni(failure -> {
                    Log.warnf("a batch of %d trace events was refused (%s); storing them one by one", good.size(), failure.getMessage());
                    return oneByOne(items);
                })
                .chain(this::deadLetter)
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /** Stores each readable record on its own (a batch's events together); the refused ones join the unreadable ones for the dead-letter topic. */
    private Uni<List<Item>> oneByOne(List<Item> items) {
        return Multi.createFrom().iterable(items).onItem().transformToUniAndConcatenate(item -> {
            if (item.received() == null) {
                return Uni.createFrom().item(List.of(item));
            }
            return UntilAvailable.retry(CHANNEL, () -> store.store(item.received()))
                    .map(s -> {
                        count(s);
                        return List.<Item>of();
                    })
                    .onFailure(f -> !Unavailability.isTransient(f))
                    .recoverWithItem(f -> List.of(new Item(item.record(), null, "could not be stored: " + f.getMessage())));
        }).collect().in(ArrayList<Item>::new, List::addAll).map(l -> (List<Item>) l);
    }

    private Uni<Void> deadLetter(List<Item> refused) {
        return Multi.createFrom().iterable(refused).onItem().transformToUniAndConcatenate(item -> {
            deadLettered.increment();
            ConsumerRecord<String, String> r = item.record();
            Log.warnf("trace record %s-%d@%d dead-lettered: %s", r.topic(), r.partition(), r.offset(), item.problem());
            return deadLetters.send(CHANNEL, r, item.problem()).replaceWith(Boolean.TRUE);
        }).collect().asList().replaceWithVoid();
    }

    private void count(TraceStore.Stored s) {
        stored.get("trace").increment(s.traces());
        stored.get("observation").increment(s.observations());
        stored.get("score").increment(s.scores());
        duplicates.increment(s.duplicates());
        // the ingestion API answered long ago: a score that does not fit its config is counted and logged, not stored
        refusedScores.increment(s.refused().size());
        s.refused().forEach((score, why) -> Log.warnf("score %s refused: %s", score, why));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
