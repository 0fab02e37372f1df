package io.flywheel.system.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.ModelCreated;
import io.flywheel.events.Topics;
import io.flywheel.linear.FeatureType;
import io.flywheel.linear.ModelArtifact;
import io.flywheel.linear.Task;
import io.flywheel.system.support.Launcher;
import io.flywheel.system.support.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole running test stack, its real processes stopped and started while users keep working
 * through the gateway (registrations, uploads, dataset versions, predictions by ingest and by the
 * serving runtime, labels, retraining requests, reads): Kafka, then S3, then PostgreSQL down for 30 s
 * and back, then each service killed with kill -9 and started again.
 *
 * <p>During an outage every service's readiness answers within 1 s, DOWN where it needs the missing
 * part; no answer is a 500 (a write that can't be taken is a 503 with Retry-After, or is kept and
 * applied later); reads that don't need the missing part keep working. Afterwards every service is
 * ready again within 30 s without a restart, and everything the stack answered 2xx is there exactly
 * once: models, versions, dataset versions, retraining jobs, each model's created event on Kafka,
 * every prediction counted and every label joined by the monitor. Prints the table of what happened.
 */
class FaultIT {

    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("fault.outage-seconds", 30));
    private static final List<String> SERVICES = List.of("registry-service", "monitor-service", "retrain-service",
            "deploy-service", "gateway");

    private record Outage(String component, Set<String> needIt, Set<String> readsThatMustWork) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A kill -9 of deploy loses the predictions still in its buffer and the producer's batch (drain
     * interval 20 ms + linger 25 ms). The kill is timed when the launcher returns, which waits up to
     * half a second to see the process gone, so the window is wider than the loss; at the fault test's
     * few served predictions a second it still catches a log that loses more than its last moments.
     */
    private static final Duration KILL_LOSS_WINDOW = Duration.ofMillis(1_000);

    private final URI gateway = TestStack.gateway();
    private final Launcher launcher = new Launcher();
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private final String served = "fault-served-" + run;
    private final List<String> table = new ArrayList<>();
    private final List<String> wrong = new ArrayList<>();
    /** service -> System.nanoTime() just after its kill -9 */
    private final Map<String, Long> killed = new HashMap<>();

    @Test
    void theStackSurvivesEveryFaultAndLosesNothingItAccepted() throws Exception {
        Readiness readiness = new Readiness(services());
        assertThat(readiness.untilAllReady(Duration.ofSeconds(60))).as("the test stack is ready before the faults: " + readiness.probeAll())
                .isNotNegative();
        Traffic traffic = new Traffic(gateway, TestStack.adminKey(), run, served);
        prepareServedModel(traffic);

        List<Outage> outages = List.of(
                new Outage("kafka", Set.copyOf(SERVICES), Set.of("/api/v1/models?limit=5", "/api/v1/retrain/jobs?limit=5",
                        "/api/v1/deployments/" + served, "/api/v1/monitoring/" + served + "/status")),
                new Outage("s3proxy", Set.of("registry-service", "monitor-service", "retrain-service"),
                        Set.of("/api/v1/models?limit=5", "/api/v1/retrain/jobs?limit=5", "/api/v1/deployments/" + served,
                                "/api/v1/monitoring/" + served + "/status", "/api/v1/models/" + served + "/versions/1")),
                new Outage("postgres", Set.copyOf(SERVICES), Set.of("/v2/models/" + served + "/ready", "/openapi")));

        try (traffic) {
            traffic.start();
            Thread.sleep(10_000);
            for (Outage outage : outages) {
                survive(outage, readiness, traffic);
            }
            for (String service : SERVICES) {
                traffic.phase("kill -9 " + service);
                traffic.readsThatMustWork(Set.of());
                long started = System.nanoTime();
                launcher.kill(service);
                killed.put(service, System.nanoTime());
                Thread.sleep(3_000);
                launcher.up();
                long back = readiness.untilAllReady(Duration.ofSeconds(120));
                table.add(String.format("%-26s %-64s %s", "kill -9 " + service,
                        "restarted, all ready after " + (System.nanoTime() - started) / 1_000_000 + " ms (" + back + " ms after up)",
                        traffic.summary("kill -9 " + service)));
                Thread.sleep(3_000);
            }
            traffic.phase("after");
            traffic.readsThatMustWork(Set.of());
            Thread.sleep(5_000);
        }

        verifyNothingLostOrDoubled(traffic);

        System.out.println("\nFault test (run " + run + "): requests by phase, readiness, recovery");
        System.out.printf("%-26s %-64s %s%n", "phase", "readiness and recovery", "answers through the gateway");
        table.forEach(System.out::println);
        traffic.outcomes.keySet().stream().filter(p -> p.equals("steady") || p.equals("after"))
                .forEach(p -> System.out.printf("%-26s %-64s %s%n", p, "", traffic.summary(p)));
        System.out.printf("kept: %d models, %d versions, %d dataset versions, %d retraining jobs, %d predictions, %d labels%n",
                traffic.models.size(), traffic.uploadedVersions.size(), traffic.datasetVersions.size(), traffic.retrainJobs.size(),
                traffic.predictionsAccepted.get(), traffic.labelsAccepted.get());
        System.out.println("4xx answers, by route and problem type:");
        new TreeMap<>(traffic.refusals).forEach((refusal, n) -> System.out.printf("  %6d  %s%n", n.get(), refusal));
        // the traffic is valid, so the only refusal is a retrain asked for while one is still running
        traffic.refusals.forEach((refusal, n) -> {
            if (!refusal.equals("POST /api/v1/retrain/jobs 409 urn:flywheel:problem:trigger-refused")) {
                wrong.add(n.get() + " x " + refusal + " (valid requests refused)");
            }
        });
        wrong.addAll(traffic.wrong.stream().filter(w -> !w.startsWith("kill -9 gateway: ") || !w.contains("got no answer")).toList());
        wrong.addAll(traffic.failedReads);
        wrong.stream().limit(80).forEach(w -> System.out.println("  WRONG " + w));
        assertThat(wrong).as("what went wrong (above)").isEmpty();
    }

    /** One part down for the outage, then back; readiness and answers measured all along. */
    private void survive(Outage outage, Readiness readiness, Traffic traffic) throws Exception {
        String down = outage.component() + " down";
        traffic.phase(down);
        launcher.stop(outage.component());
        long stopped = System.nanoTime();
        traffic.readsThatMustWork(outage.readsThatMustWork());
        Map<String, Long> slowest = new LinkedHashMap<>();
        Map<String, Long> firstDown = new HashMap<>();
        while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
            for (Map.Entry<String, Readiness.Probe> probe : readiness.probeAll().entrySet()) {
                String service = probe.getKey();
                slowest.merge(service, probe.getValue().millis(), Math::max);
                if (probe.getValue().down()) {
                    firstDown.putIfAbsent(service, (System.nanoTime() - stopped) / 1_000_000);
                }
            }
            Thread.sleep(250);
        }
        for (String service : SERVICES) {
            if (slowest.getOrDefault(service, 0L) > 1_000) {
                wrong.add(down + ": readiness of " + service + " took " + slowest.get(service) + " ms (at most 1,000)");
            }
            if (outage.needIt().contains(service) && (!firstDown.containsKey(service) || firstDown.get(service) > 1_500)) {
                wrong.add(down + ": " + service + " did not say DOWN within 1 s of the outage (" + firstDown.get(service) + " ms)");
            }
        }
        String back = outage.component() + " back";
        traffic.phase(back);
        traffic.readsThatMustWork(Set.of());
        launcher.stack();
        long recovered = readiness.untilAllReady(Duration.ofSeconds(30));
        if (recovered < 0) {
            wrong.add(back + ": not every service was ready again within 30 s, without a restart: " + readiness.probeAll());
        }
        table.add(String.format("%-26s %-64s %s", down, "DOWN after " + firstDown + " ms, slowest answer " + slowest.values().stream()
                .mapToLong(Long::longValue).max().orElse(0) + " ms", traffic.summary(down)));
        table.add(String.format("%-26s %-64s %s", back, recovered < 0 ? "NOT READY within 30 s" : "all ready " + recovered
                + " ms after it was back", traffic.summary(back)));
        Thread.sleep(5_000);
    }

    private void verifyNothingLostOrDoubled(Traffic traffic) throws Exception {
        // models, their versions, dataset versions and jobs: each one answered 2xx is there, once
        List<String> listed = listAll("/api/v1/models?prefix=fault-" + run + "-", "name");
        expectOnceEach("models", traffic.models, listed);
        for (String version : traffic.uploadedVersions) {
            Traffic.Answer v = traffic.send("GET", "/api/v1/models/" + version.replace("/1", "/versions/1"), null, null, Map.of());
            if (v.status() != 200 || !"ready".equals(v.body().path("status").asText())) {
                wrong.add("version " + version + " answered 200 to its upload but is " + v.status() + " " + v.body());
            }
        }
        expectOnceEach("dataset versions", traffic.datasetVersions, listAll("/api/v1/datasets/fault-" + run + "/versions?", "id"));
        for (String job : traffic.retrainJobs) {
            if (traffic.send("GET", "/api/v1/retrain/jobs/" + job, null, null, Map.of()).status() != 200) {
                wrong.add("retraining job " + job + " answered 2xx but is not there");
            }
        }
        expectOnceEach("retraining jobs", traffic.retrainJobs, listAll("/api/v1/retrain/jobs?model=" + served + "&", "id"));

        // each model created got exactly one created event on Kafka (an outbox may send one twice with the same id)
        Map<String, Set<String>> eventIds = createdEvents();
        for (String model : traffic.models) {
            int ids = eventIds.getOrDefault(model, Set.of()).size();
            if (ids != 1) {
                wrong.add("model " + model + " has " + ids + " created events on " + Topics.REGISTRY + " (expected exactly 1)");
            }
        }

        // every prediction accepted is on the inference topic (by request id), named with its phase when not; the
        // only ones allowed to be missing were served just before deploy's kill -9, still in its buffer (its README)
        Set<String> logged = loggedPredictions();
        Map<String, List<String>> missingByPhase = new TreeMap<>();
        List<String> lostWithKill = new ArrayList<>();
        Long deployKilled = killed.get("deploy-service");
        traffic.acceptedPredictionIds.forEach((id, accepted) -> {
            if (logged.contains(id)) {
                return;
            }
            if (accepted.phase().equals("kill -9 deploy-service") && deployKilled != null
                    && deployKilled - accepted.answeredAt() < KILL_LOSS_WINDOW.toNanos()) {
                lostWithKill.add(id);
            } else {
                missingByPhase.computeIfAbsent(accepted.phase(), p -> new ArrayList<>()).add(id);
            }
        });
        table.add(String.format("%-26s %-64s", "prediction log", traffic.acceptedPredictionIds.size() + " accepted, "
                + missingByPhase.values().stream().mapToInt(List::size).sum() + " not on " + Topics.INFERENCE + ", "
                + lostWithKill.size() + " served < " + KILL_LOSS_WINDOW.toMillis() + " ms before deploy's kill -9 lost with it"));
        missingByPhase.forEach((phase, ids) -> wrong.add(phase + ": " + ids.size() + " accepted predictions are not on "
                + Topics.INFERENCE + ", e.g. " + ids.subList(0, Math.min(5, ids.size()))));
        long expectedPredictions = traffic.predictionsAccepted.get() - lostWithKill.size();

        // every prediction counted once, every label joined once (the monitor's saved state)
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long predictions = -1;
        long labelled = -1;
        while (System.nanoTime() < deadline) {
            JsonNode status = traffic.send("GET", "/api/v1/monitoring/" + served + "/status", null, null, Map.of()).body();
            predictions = status == null ? -1 : status.path("predictions").asLong(-1);
            labelled = -1;
            if (status != null) {
                for (JsonNode version : status.path("versions")) {
                    if (version.path("version").asInt() == 1) {
                        labelled = version.path("latest").path("labelled").asLong(-1);
                    }
                }
            }
            if (within(predictions, expectedPredictions, traffic.predictionsUncertain.get())
                    && within(labelled, traffic.labelsAccepted.get(), traffic.labelsUncertain.get())) {
                break;
            }
            Thread.sleep(2_000);
        }
        table.add(String.format("%-26s %-64s", "monitor counts", "predictions " + predictions + " (accepted " + traffic.predictionsAccepted.get()
                + ", unanswered " + traffic.predictionsUncertain.get() + "), labels joined " + labelled + " (accepted "
                + traffic.labelsAccepted.get() + ", unanswered " + traffic.labelsUncertain.get() + ")"));
        if (!within(predictions, expectedPredictions, traffic.predictionsUncertain.get())) {
            wrong.add("the monitor counted " + predictions + " predictions; the stack accepted " + traffic.predictionsAccepted.get()
                    + " (" + lostWithKill.size() + " lost with deploy's kill -9) and left " + traffic.predictionsUncertain.get() + " unanswered");
        }
        if (!within(labelled, traffic.labelsAccepted.get(), traffic.labelsUncertain.get())) {
            wrong.add("the monitor joined " + labelled + " labels; the stack accepted " + traffic.labelsAccepted.get()
                    + " and left " + traffic.labelsUncertain.get() + " unanswered");
        }
    }

    /** Nothing accepted is missing, and nothing is counted beyond what may have been taken. */
    private static boolean within(long counted, long accepted, long unanswered) {
        return counted >= accepted && counted <= accepted + unanswered;
    }

    private void expectOnceEach(String what, Set<String> accepted, List<String> listed) {
        Set<String> seen = new HashSet<>();
        List<String> twice = listed.stream().filter(id -> !seen.add(id)).toList();
        List<String> missing = accepted.stream().filter(id -> !seen.contains(id)).toList();
        table.add(String.format("%-26s %-64s", what, accepted.size() + " answered 2xx, " + missing.size() + " missing, "
                + twice.size() + " listed twice, " + (seen.size() - (accepted.size() - missing.size())) + " more than answered"));
        if (!missing.isEmpty() || !twice.isEmpty()) {
            wrong.add(what + ": missing " + missing + ", listed twice " + twice);
        }
    }

    /** Every item of a paged list (limit/cursor), by one of its fields. */
    private List<String> listAll(String pathAndQuery, String field) {
        Traffic reader = new Traffic(gateway, TestStack.adminKey(), run, served);
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            String separator = pathAndQuery.endsWith("?") || pathAndQuery.endsWith("&") ? "" : "&";
            Traffic.Answer page = reader.send("GET", pathAndQuery + separator + "limit=200" + (cursor == null ? "" : "&cursor=" + cursor),
                    null, null, Map.of());
            if (page.status() != 200) {
                wrong.add("listing " + pathAndQuery + " answered " + page.status());
                return all;
            }
            page.body().path("items").forEach(item -> all.add(item.path(field).asText()));
            cursor = page.body().hasNonNull("next_cursor") ? page.body().path("next_cursor").asText() : null;
        } while (cursor != null);
        return all;
    }

    /** Created events on the registry topic, by model, as distinct CloudEvent ids. */
    private Map<String, Set<String>> createdEvents() {
        Map<String, Set<String>> ids = new HashMap<>();
        readAll(Topics.REGISTRY, record -> {
            var type = record.headers().lastHeader("ce_type");
            var id = record.headers().lastHeader("ce_id");
            if (type != null && id != null && ModelCreated.TYPE.equals(new String(type.value(), StandardCharsets.UTF_8))) {
                ids.computeIfAbsent(record.key(), k -> new HashSet<>()).add(new String(id.value(), StandardCharsets.UTF_8));
            }
        });
        return ids;
    }

    /** The request ids of the served model's predictions on the inference topic. */
    private Set<String> loggedPredictions() {
        Set<String> ids = new HashSet<>();
        readAll(Topics.INFERENCE, record -> {
            if (served.equals(record.key()) && record.value() != null) {
                try {
                    ids.add(JSON.readTree(record.value()).path("request_id").asText());
                } catch (java.io.IOException notJson) {
                    wrong.add("a record on " + Topics.INFERENCE + " is not JSON: " + record.value());
                }
            }
        });
        return ids;
    }

    /** Every record of a topic, from the beginning to its end when called. */
    private static void readAll(String topic, Consumer<ConsumerRecord<String, String>> each) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.property("flywheel.test.kafka", "127.0.0.1:19092"));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }

    /**
     * The model predictions and labels are for: a two-feature logistic model, version 1 live in staging
     * (served by the built-in runtime), with a reference the monitor judges windows against.
     */
    private void prepareServedModel(Traffic client) throws InterruptedException {
        expect(201, client.send("POST", "/api/v1/models", "{\"name\":\"" + served + "\"}", "application/json", Map.of()), "create the served model");
        expect(201, client.send("POST", "/api/v1/models/" + served + "/versions", """
                {"framework":"flywheel-linear","format":"json","signature":{"inputs":[{"name":"x","type":"number"},
                {"name":"y","type":"number"}],"output":{"name":"label","type":"number"}}}""", "application/json", Map.of()),
                "register version 1");
        String artifact = new ModelArtifact(ModelArtifact.FORMAT, Task.BINARY_CLASSIFICATION,
                List.of(ModelArtifact.Feature.scaled("x", FeatureType.NUMBER, 0.0, 1.0), ModelArtifact.Feature.scaled("y", FeatureType.NUMBER, 0.0, 1.0)),
                -0.1, List.of(0.4, -0.2), new ModelArtifact.Target("label", 1, 0), 0.5, 1.0, null, null).toJson();
        expect(200, client.send("PUT", "/api/v1/models/" + served + "/versions/1/artifact", artifact, "application/json", Map.of()),
                "upload version 1");
        expect(201, client.send("POST", "/api/v1/deployments/" + served + "/staging/promotions",
                "{\"version\":1,\"strategy\":\"replace\",\"reason\":\"fault test\"}", "application/json", Map.of()), "promote to staging");
        StringBuilder reference = new StringBuilder("x,y,score\n");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300; i++) {
            reference.append(random.nextInt(10)).append(',').append(random.nextInt(3)).append(',').append(random.nextDouble()).append('\n');
        }
        expect(201, client.send("POST", "/api/v1/monitoring/" + served + "/versions/1/reference?prediction_column=score",
                reference.toString(), "text/csv", Map.of()), "fit the monitor's reference");
        expect(201, client.send("POST", "/api/v1/datasets", "{\"name\":\"fault-" + run + "\"}", "application/json", Map.of()),
                "create the dataset");
        expect(201, client.send("PUT", "/api/v1/retrain/policies/" + served, """
                {"cooldown": "PT0S", "min_new_rows": 0, "max_concurrent": 2, "daily_budget": 1000, "data": {"window": "P1D"},
                 "trainer": {"params": {"task": "binary-classification", "target": "label"}}}""", "application/json", Map.of()),
                "a retraining policy that lets manual triggers through");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (client.send("GET", "/v2/models/" + served + "/ready", null, null, Map.of("X-Flywheel-Environment", "staging")).status() != 200) {
            assertThat(System.nanoTime()).as("the served model is ready in staging within 60 s").isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static void expect(int status, Traffic.Answer answer, String what) {
        assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(status);
    }

    private Map<String, URI> services() {
        Map<String, URI> services = new LinkedHashMap<>();
        services.put("registry-service", URI.create(TestStack.property("flywheel.test.registry", "http://127.0.0.1:18081")));
        services.put("monitor-service", URI.create(TestStack.property("flywheel.test.monitor", "http://127.0.0.1:18082")));
        services.put("retrain-service", URI.create(TestStack.property("flywheel.test.retrain", "http://127.0.0.1:18083")));
        services.put("deploy-service", URI.create(TestStack.property("flywheel.test.deploy", "http://127.0.0.1:18084")));
        services.put("gateway", gateway);
        return services;
    }
}
