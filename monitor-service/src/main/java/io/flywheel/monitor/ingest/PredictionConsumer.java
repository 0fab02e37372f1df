package io.flywheel.monitor.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.PredictionLogged;
import io.flywheel.monitor.config.MonitorConfig;
import io.flywheel.monitor.reference.Catalog;
import io.flywheel.monitor.window.CompiledProfile;
import io.flywheel.monitor.window.Outcome;
import io.flywheel.monitor.window.WindowSpec;
import io.flywheel.problem.Unavailability;
import io.flywheel.readiness.UntilAvailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.commit.CheckpointMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds predictions from {@code flywheel.inference} into the drift window of their model version
 * (feature values and the output into reference bins, by event time) and counts them, in a
 * per-partition state saved with its offset (checkpoint strategy): after a crash the state and
 * the offset come back together, so nothing is lost or counted twice. Each prediction also waits
 * in the join table for its label.
 *
 * <p>A Kafka poll at a time: each partition's records of the poll are folded into its state in one
 * step (one new state per partition and poll, not per record), the poll's predictions go into the join
 * table in one statement, and the poll is acknowledged once. Per record, the framework's work (a
 * message, its acknowledgement, a reactive pipeline) cost more than the statistics. Records that can't
 * be read, of an unknown model, or with a feature of the wrong type go to the dead-letter topic with
 * the reason, and the rest of the poll goes on.
 */
@ApplicationScoped
public class PredictionConsumer {

    private static final String CHANNEL = "predictions";

    /** One record of a poll: its prediction and bins once read, the pair it completed, or why it can't be used. */
    private static final class Entry {
        final KafkaRecord<String, String> record;
        PredictionLogged prediction;
        CompiledProfile profile;
        int[] bins;
        JoinStore.Joined joined;
        String problem;

        Entry(KafkaRecord<String, String> record) {
            this.record = record;
        }

        boolean usable() {
            return problem == null;
        }
    }

    private final PredictionReader reader;
    private final Catalog catalog;
    private final JoinStore joins;
    private final LiveWindows live;
    private final DeadLetterTopic deadLetters;
    private final MonitorConfig config;
    private final Counter accepted;
    private final Counter rejected;

    public PredictionConsumer(ObjectMapper json, Catalog catalog, JoinStore joins, LiveWindows live, DeadLetterTopic deadLetters,
                              MonitorConfig config, MeterRegistry meters) {
        this.reader = new PredictionReader(json);
        this.catalog = catalog;
        this.joins = joins;
        this.live = live;
        this.deadLetters = deadLetters;
        this.config = config;
        this.accepted = meters.counter("flywheel.monitor.predictions", "outcome", "accepted");
        this.rejected = meters.counter("flywheel.monitor.predictions", "outcome", "dead-lettered");
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<Entry> entries = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            Entry entry = new Entry(record);
            String type = record.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getType).orElse(null);
            try {
                entry.prediction = reader.read(type, record.getPayload());
            } catch (MalformedEventException e) {
                entry.problem = e.getMessage();
            }
            entries.add(entry);
        }
        // the steps that need PostgreSQL wait for it instead of failing (readiness/UntilAvailable says why)
        return knownModels(entries)
                .invoke(known -> bin(entries, known))
                .chain(() -> join(entries))
                .chain(() -> {
                    fold(batch, entries);
                    return deadLetter(entries);
                })
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /** Which of the poll's models the monitor knows (a handful of lookups, not one per record). */
    private Uni<Map<String, Boolean>> knownModels(List<Entry> entries) {
        Set<String> models = new LinkedHashSet<>();
        entries.stream().filter(Entry::usable).forEach(e -> models.add(e.prediction.model()));
        if (!config.rejectUnknownModels() || models.stream().allMatch(catalog::isKnown)) {
            Map<String, Boolean> all = new HashMap<>();
            models.forEach(m -> all.put(m, true));
            return Uni.createFrom().item(all);
        }
        return Multi.createFrom().iterable(models)
                .onItem().transformToUniAndConcatenate(m -> UntilAvailable.retry(CHANNEL, () -> catalog.isKnownFresh(m))
                        .map(known -> Map.entry(m, known)))
                .collect().asMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private void bin(List<Entry> entries, Map<String, Boolean> known) {
        for (Entry e : entries) {
            if (!e.usable()) {
                continue;
            }
            PredictionLogged p = e.prediction;
            if (!known.getOrDefault(p.model(), false)) {
                e.problem = "unknown model '" + p.model() + "': the monitor has no reference or policy for it";
                continue;
            }
            e.profile = catalog.profile(p.model(), p.version()).orElse(null);
            try {
                e.bins = e.profile == null ? null : e.profile.binsOf(p.inputs(), Outcome.scalar(p.output()));
            } catch (IllegalArgumentException x) {
                e.problem = "invalid prediction: " + x.getMessage();
            }
        }
    }

    /**
     * The poll's predictions into the join table in one statement. When PostgreSQL refuses the statement
     * for something other than an outage (a value jsonb won't take, such as a NUL character), each is
     * written on its own and only the refused ones are dead-lettered.
     */
    private Uni<Void> join(List<Entry> entries) {
        List<Entry> toJoin = entries.stream()
                .filter(e -> e.usable() && catalog.policy(e.prediction.model()).joinLabelsOrDefault()).toList();
        if (toJoin.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Entry> lastByRequest = new HashMap<>();
        toJoin.forEach(e -> lastByRequest.put(e.prediction.requestId(), e));
        return UntilAvailable.retry(CHANNEL, () -> joins.predictions(toJoin.stream().map(e -> e.prediction).toList()))
                .invoke(pairs -> pairs.forEach((requestId, pair) -> lastByRequest.get(requestId).joined = pair))
                .replaceWithVoid()
                .onFailure(f -> !Unavailability.isTransient(f)).recoverWithUni(failure -> {
                    Log.warnf("a poll of %d predictions was refused by the join table (%s); writing them one by one",
                            toJoin.size(), failure.getMessage());
                    return Multi.createFrom().iterable(toJoin).onItem().transformToUniAndConcatenate(e ->
                            UntilAvailable.retry(CHANNEL, () -> joins.prediction(e.prediction))
                                    .invoke(pair -> e.joined = pair.orElse(null))
                                    .replaceWith(Boolean.TRUE)
                                    .onFailure(f -> !Unavailability.isTransient(f)).recoverWithItem(f -> {
                                        e.problem = "could not be stored: " + f.getMessage();
                                        return Boolean.FALSE;
                                    }))
                            .collect().asList().replaceWithVoid();
                });
    }

    /** Each partition's usable records, in offset order, into its state: one new state per partition and poll. */
    private void fold(KafkaRecordBatch<String, String> batch, List<Entry> entries) {
        Map<TopicPartition, List<Entry>> byPartition = new HashMap<>();
        for (Entry e : entries) {
            byPartition.computeIfAbsent(new TopicPartition(e.record.getTopic(), e.record.getPartition()), k -> new ArrayList<>()).add(e);
        }
        batch.getLatestOffsetRecords().forEach((partition, latest) -> {
            List<Entry> records = byPartition.getOrDefault(partition, List.of());
            CheckpointMetadata<StreamCheckpoint> checkpoint = CheckpointMetadata.fromMessage(latest);
            // also when none of them was usable: the offset moves on, so they are not dead-lettered again after a restart
            checkpoint.transform(() -> StreamCheckpoint.of(StreamState.EMPTY), current -> {
                StreamState s = fold(current.state(), records);
                live.publish(partition.topic(), partition.partition(), s);
                return StreamCheckpoint.of(s);
            });
        });
        accepted.increment(entries.stream().filter(Entry::usable).count());
    }

    /** A partition's records of the poll into its state, a model version at a time (their windows are independent). */
    private StreamState fold(StreamState state, List<Entry> records) {
        Map<String, List<Entry>> byVersion = new LinkedHashMap<>();
        for (Entry e : records) {
            if (e.usable()) {
                byVersion.computeIfAbsent(StreamState.key(e.prediction.model(), e.prediction.version()), k -> new ArrayList<>()).add(e);
            }
        }
        StreamState s = state;
        for (Map.Entry<String, List<Entry>> version : byVersion.entrySet()) {
            String key = version.getKey();
            List<Entry> events = version.getValue();
            WindowSpec spec = catalog.policy(events.getFirst().prediction.model()).window();
            s = s.counted(key, events.size());
            List<Entry> binned = events.stream().filter(e -> e.bins != null).toList();
            if (!binned.isEmpty() && binned.stream().allMatch(e -> e.profile == binned.getFirst().profile)) {
                long[] times = new long[binned.size()];
                int[][] bins = new int[binned.size()][];
                for (int i = 0; i < times.length; i++) {
                    times[i] = binned.get(i).prediction.time().toEpochMilli();
                    bins[i] = binned.get(i).bins;
                }
                s = s.folded(key, spec, binned.getFirst().profile.width(), times, bins);
            } else {
                for (Entry e : binned) { // the reference was refitted during the poll: each event against its own
                    s = s.folded(key, spec, e.profile.width(), e.prediction.time().toEpochMilli(), e.bins);
                }
            }
            for (Entry e : events) {
                if (e.joined != null) {
                    s = Quality.fold(s, key, spec, e.joined);
                }
            }
        }
        return s;
    }

    private Uni<Void> deadLetter(List<Entry> entries) {
        List<Entry> refused = entries.stream().filter(e -> !e.usable()).toList();
        if (refused.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(refused).onItem().transformToUniAndConcatenate(e -> {
            rejected.increment();
            Log.warnf("prediction %s-%d@%d dead-lettered: %s", e.record.getTopic(), e.record.getPartition(), DeadLetterTopic.offset(e.record),
                    e.problem);
            return deadLetters.send(CHANNEL, e.record, e.problem).replaceWith(Boolean.TRUE);
        }).collect().asList().replaceWithVoid();
    }
}
