package io.flywheel.monitor.bench;

import io.flywheel.monitor.crash.MonitorProcess;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole path of a prediction, producer → Kafka → monitor → window → checkpoint, with 10
 * features per prediction, on the machine's own Kafka (issue 18, point 1): Kafka's own producer
 * and consumer throughput on the same records as the ceiling; the packaged monitor's events/s
 * through a backlog with and without the label join; and the prediction-to-window latency at a
 * steady rate below that throughput. Prints FIGURE lines; not a pass/fail test.
 */
public final class PathBench {

    private static final int FEATURES = 10;
    private static final int CEILING_RECORDS = 400_000;
    private static final int NO_JOIN_RECORDS = 400_000;
    private static final int JOIN_RECORDS = 100_000;

    private PathBench() {
    }

    /** Alone: {@code java -cp <test classpath> io.flywheel.monitor.bench.PathBench [target/quarkus-app/quarkus-run.jar]}. */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? args[0] : "target/quarkus-app/quarkus-run.jar");
    }

    static void run(String jar) throws Exception {
        if (!new File(jar).exists()) {
            System.out.println("FIGURE whole path: skipped, no packaged jar at " + jar + " (./mvnw -f monitor-service/pom.xml package -DskipTests)");
            return;
        }
        String run = "path-" + UUID.randomUUID().toString().substring(0, 8);
        kafkaCeiling(run);

        MonitorProcess monitor = new MonitorProcess(jar, 18184, run);
        try {
            monitor.start(false);
            String joined = run + "-join";
            String notJoined = run + "-nojoin";
            String steadyJoined = run + "-join-steady";
            String steadyNotJoined = run + "-nojoin-steady";
            for (String model : List.of(notJoined, steadyNotJoined)) {
                monitor.putPolicy(model, "{\"join_labels\": false}");
            }
            for (String model : List.of(joined, notJoined, steadyJoined, steadyNotJoined)) {
                monitor.postReference(model, MonitorProcess.referenceCsv(FEATURES));
            }
            monitor.close();
            // a backlog waits in Kafka while the monitor is down, so the figure is the monitor's, not the producer's;
            // one backlog at a time (the two models' partitions would be read side by side)
            MonitorProcess.produce(MonitorProcess.predictions(monitor.inferenceTopic(), notJoined, NO_JOIN_RECORDS, FEATURES, 10));
            monitor.start(false);
            double withoutJoin = throughput(monitor, notJoined, NO_JOIN_RECORDS, "join_labels=false", "200,000");
            monitor.close();
            MonitorProcess.produce(MonitorProcess.predictions(monitor.inferenceTopic(), joined, JOIN_RECORDS, FEATURES, 9));
            monitor.start(false);
            double withJoin = throughput(monitor, joined, JOIN_RECORDS, "with the label join (a PostgreSQL row per prediction)", "50,000");

            // steady traffic at half the measured throughput: how long from the send until the window has it
            latency(monitor, steadyNotJoined, withoutJoin / 2, "join_labels=false");
            latency(monitor, steadyJoined, withJoin / 2, "with the label join");
        } finally {
            monitor.close();
        }
    }

    /** Kafka alone on the same records: a producer as the monitor's clients send them, then a consumer reading them all. */
    private static void kafkaCeiling(String run) {
        String topic = "test.flywheel.bench-ceiling." + run;
        List<ProducerRecord<String, String>> records = MonitorProcess.predictions(topic, run + "-ceiling", CEILING_RECORDS, FEATURES, 8);
        long bytes = records.stream().mapToLong(r -> r.value().length()).sum();
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", MonitorProcess.BOOTSTRAP,
                "linger.ms", 5, "batch.size", 262_144), new StringSerializer(), new StringSerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
        double produced = CEILING_RECORDS / ((System.nanoTime() - start) / 1e9);
        System.out.printf("FIGURE whole path, ceiling: Kafka's producer, %,d predictions of %d features (%d bytes each on average): %,.0f records/s%n",
                CEILING_RECORDS, FEATURES, bytes / CEILING_RECORDS, produced);

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", MonitorProcess.BOOTSTRAP,
                "max.poll.records", 2_000, "fetch.min.bytes", 1), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int read = 0;
            long first = 0;
            while (read < CEILING_RECORDS) {
                ConsumerRecords<String, String> polled = consumer.poll(Duration.ofSeconds(5));
                if (first == 0 && !polled.isEmpty()) {
                    first = System.nanoTime();
                }
                read += polled.count();
            }
            double consumed = read / ((System.nanoTime() - first) / 1e9);
            System.out.printf("FIGURE whole path, ceiling: Kafka's consumer (String values, as the monitor reads them): %,.0f records/s%n", consumed);
        }
    }

    /** Events per second between the first count seen and the last (one model: one partition, in order). */
    private static double throughput(MonitorProcess monitor, String model, int n, String what, String goal) {
        long[] first = new long[2];
        MonitorProcess.await(Duration.ofMinutes(10), () -> {
            long c = monitor.predictions(model);
            if (c > 0 && first[0] == 0) {
                first[0] = System.nanoTime();
                first[1] = c;
            }
            return c >= n;
        });
        double seconds = (System.nanoTime() - first[0]) / 1e9;
        double rate = (n - first[1]) / seconds;
        System.out.printf("FIGURE whole path, monitor, %d features, %s: %,d events in %.1f s = %,.0f events/s (goal >= %s)%n",
                FEATURES, what, n - first[1], seconds, rate, goal);
        return rate;
    }

    /**
     * Sends at a steady rate for 15 s and polls the model's count every 20 ms: a prediction is in
     * its window at the first poll whose count includes it (one partition keeps them in order), so
     * each latency is exact to the poll's 20 ms plus the status call's own time.
     */
    private static void latency(MonitorProcess monitor, String model, double rate, String what) throws Exception {
        int n = (int) Math.max(1_000, rate * 15);
        List<ProducerRecord<String, String>> records = MonitorProcess.predictions(monitor.inferenceTopic(), model, n, FEATURES, 7);
        long[] sentAt = new long[n];
        long[] seenAt = new long[n];
        Thread poller = Thread.ofPlatform().start(() -> {
            int counted = 0;
            while (counted < n && !Thread.currentThread().isInterrupted()) {
                long c = Math.min(n, monitor.predictions(model));
                long now = System.nanoTime();
                for (; counted < c; counted++) {
                    seenAt[counted] = now;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", MonitorProcess.BOOTSTRAP,
                "linger.ms", 0), new StringSerializer(), new StringSerializer())) {
            long start = System.nanoTime();
            long gap = (long) (1e9 / rate);
            for (int i = 0; i < n; i++) {
                long due = start + i * gap;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                sentAt[i] = System.nanoTime();
                producer.send(records.get(i));
            }
        }
        poller.join(Duration.ofMinutes(5).toMillis());
        poller.interrupt();
        List<Double> ms = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (seenAt[i] > 0) {
                ms.add((seenAt[i] - sentAt[i]) / 1e6);
            }
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("FIGURE whole path, monitor, %s, steady %,.0f predictions/s for 15 s: prediction-to-window latency "
                        + "p50 %.0f ms, p99 %.0f ms, max %.0f ms (%,d of %,d seen; goal p99 <= 2,000 ms)%n",
                what, rate, percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1],
                sorted.length, n);
    }

    private static double percentile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
