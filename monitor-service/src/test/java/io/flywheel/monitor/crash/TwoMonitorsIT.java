package io.flywheel.monitor.crash;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two monitors in one consumer group share the prediction topic's partitions: a second one joins
 * a running one (partitions move to it with their checkpointed state, and both replicas' answers
 * stay exact), then the first is killed with kill -9 mid-stream, the survivor takes its partitions
 * and finishes them, and every model's count comes out exact: nothing lost, nothing counted twice.
 * Prints how long the partitions took to move. Runs in {@code verify} after the jar is packaged, against the
 * test stack (issue 18, point 2).
 */
class TwoMonitorsIT {

    private static final int PARTITIONS = 4;
    private static final int PER_MODEL = 10_000;
    /** Predictions per model sent to the first monitor alone, and until the second has joined. */
    private static final int FIRST = 1_000;
    private static final int SECOND = 3_000;
    private static final int FEATURES = 10;

    @Test
    void monitorsShareThePartitionsAndASurvivorFinishesAKilledOnesWithEveryCountExact() throws Exception {
        String jar = System.getProperty("monitor.jar", "target/quarkus-app/quarkus-run.jar");
        String run = "pair-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> models = new ArrayList<>();
        List<List<ProducerRecord<String, String>>> byModel = new ArrayList<>();
        try (KafkaCompanion kafka = new KafkaCompanion(MonitorProcess.BOOTSTRAP);
             MonitorProcess a = new MonitorProcess(jar, 18186, run, run + "-a");
             MonitorProcess b = new MonitorProcess(jar, 18187, run, run + "-b")) {
            String topic = a.inferenceTopic();
            kafka.topics().createAndWait(topic, PARTITIONS);
            for (int p = 0; p < PARTITIONS; p++) {
                String model = run + "-m" + p;
                models.add(model);
                // model p's predictions all go to partition p, as their key would keep them together
                int partition = p;
                byModel.add(MonitorProcess.predictions(topic, model, PER_MODEL, FEATURES, 40 + p).stream()
                        .map(r -> new ProducerRecord<>(r.topic(), partition, r.key(), r.value(), r.headers())).toList());
            }

            // one monitor holds every partition
            a.start(false);
            for (String model : models) {
                a.postReference(model, MonitorProcess.referenceCsv(FEATURES));
            }
            produce(byModel, 0, FIRST);
            awaitCounts(a, models, FIRST);

            // a second joins: the partitions are shared, and each replica's answers are exact, also
            // for the models whose partitions moved away from the first (it must not show its old state)
            b.start(false);
            MonitorProcess.await(Duration.ofSeconds(60), () -> assignment(kafka, a.group(), topic).size() == 2);
            Set<Integer> partitionsOfA = partitionsOf(assignment(kafka, a.group(), topic), run + "-a");
            System.out.printf("two monitors: a kept partitions %s, b took %s%n", partitionsOfA,
                    partitionsOf(assignment(kafka, a.group(), topic), run + "-b"));
            produce(byModel, FIRST, SECOND);
            awaitCounts(b, models, SECOND);
            awaitCounts(a, models, SECOND);

            // a dies with part of its partitions' last records counted; b takes them over from their checkpoints
            String counter = "flywheel_monitor_predictions_total";
            double beforeLast = a.counter(counter, "accepted");
            // the last records flow in slices (a monitor reading a poll at a time would otherwise have counted
            // them all before the kill lands)
            Thread flow = Thread.ofPlatform().start(() -> {
                for (int from = SECOND; from < PER_MODEL; from += 250) {
                    produce(byModel, from, Math.min(PER_MODEL, from + 250));
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            MonitorProcess.await(Duration.ofMinutes(3), () -> a.counter(counter, "accepted") >= beforeLast + (PER_MODEL - SECOND) / 4.0);
            double countedByA = a.counter(counter, "accepted") - beforeLast;
            a.kill();
            long killedAt = System.nanoTime();
            flow.join(Duration.ofMinutes(2));
            assertThat(flow.isAlive()).as("the last records were all sent").isFalse();
            assertThat(countedByA).as("a killed mid-stream").isLessThan((PER_MODEL - SECOND) * partitionsOfA.size());

            MonitorProcess.await(Duration.ofSeconds(60), () -> {
                var now = assignment(kafka, a.group(), topic);
                return now.size() == 1 && partitionsOf(now, run + "-b").size() == PARTITIONS;
            });
            double movedAfter = (System.nanoTime() - killedAt) / 1e9;
            String firstOfA = models.get(partitionsOfA.iterator().next());
            long atTakeover = b.predictions(firstOfA);
            MonitorProcess.await(Duration.ofSeconds(60), () -> b.predictions(firstOfA) > atTakeover
                    || b.predictions(firstOfA) == PER_MODEL);
            double countingAfter = (System.nanoTime() - killedAt) / 1e9;

            awaitCounts(b, models, PER_MODEL);
            for (String model : models) {
                MonitorProcess.await(Duration.ofSeconds(60), () -> b.status(model).contains("\"samples\":" + PER_MODEL));
            }
            System.out.printf("two monitors: a counted %,.0f of its last records before kill -9; its partitions %s were b's "
                            + "%.1f s later (session timeout 10 s), counted again by b after %.1f s; counts %s%n",
                    countedByA, partitionsOfA, movedAfter, countingAfter,
                    models.stream().map(m -> m.substring(run.length() + 1) + "=" + b.predictions(m)).collect(Collectors.joining(", ")));
            for (String model : models) {
                assertThat(b.predictions(model)).as("predictions counted for %s", model).isEqualTo(PER_MODEL);
                assertThat(b.status(model)).as("the window of %s", model).contains("\"samples\":" + PER_MODEL);
            }
            assertThat(b.counter(counter, "dead-lettered")).isIn(0.0, -1.0);
        }
    }

    private static void produce(List<List<ProducerRecord<String, String>>> byModel, int from, int to) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        byModel.forEach(r -> records.addAll(r.subList(from, to)));
        MonitorProcess.produce(records);
    }

    /** Waits until the replica's status counts exactly {@code n} for every model; fails saying what it counts. */
    private static void awaitCounts(MonitorProcess monitor, List<String> models, long n) {
        try {
            MonitorProcess.await(Duration.ofMinutes(2), () -> models.stream().allMatch(m -> monitor.predictions(m) == n));
        } catch (IllegalStateException e) {
            assertThat(models.stream().map(monitor::predictions).toList()).as("counts of %s on %s", models, monitor)
                    .allMatch(c -> c == n);
        }
    }

    /**
     * Client id of each member of the group that holds partitions of the topic → those partitions
     * (the run's other channels share the group id, with topics of their own).
     */
    private static Map<String, Set<Integer>> assignment(KafkaCompanion kafka, String group, String topic) {
        ConsumerGroupDescription d = kafka.consumerGroups().describe(group);
        Map<String, Set<Integer>> out = new TreeMap<>();
        for (MemberDescription m : d.members()) {
            Set<Integer> partitions = m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
                    .map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
            if (!partitions.isEmpty()) {
                out.merge(m.clientId(), partitions, (x, y) -> {
                    x.addAll(y);
                    return x;
                });
            }
        }
        return out;
    }

    private static Set<Integer> partitionsOf(Map<String, Set<Integer>> assignment, String client) {
        return assignment.entrySet().stream().filter(e -> e.getKey().startsWith(client))
                .flatMap(e -> e.getValue().stream()).collect(Collectors.toCollection(TreeSet::new));
    }
}
