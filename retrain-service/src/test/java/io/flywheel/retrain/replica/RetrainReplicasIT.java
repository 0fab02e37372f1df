package io.flywheel.retrain.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.PromotionRequested;
import io.flywheel.retrain.support.LabelledSegments;
import io.flywheel.retrain.support.Policies;
import io.flywheel.retrain.support.RegistryFixture;
import io.flywheel.retrain.support.Rows;
import io.minio.MinioClient;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two retrain-service replicas share one job queue: both claim jobs, one is killed with kill -9
 * while it holds jobs, and the other takes those jobs over once their leases run out. Every job
 * ends once, with exactly one candidate version in the registry and one promotion request (a
 * resend repeats its event id): nothing lost, nothing done twice. Prints how long the takeover
 * took. Runs in {@code verify} after the jar is packaged, against the test stack (issue 18, point 2).
 */
class RetrainReplicasIT {

    private static final int MODELS = 4;
    private static final int JOBS_PER_MODEL = 3;
    private static final Set<String> ENDED = Set.of("promotion-requested", "rejected", "failed", "cancelled");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void registryOfTheTestStack() {
        // RegistryFixture reads retrain.registry.url; outside Quarkus, from the system properties
        System.setProperty("retrain.registry.url", System.getProperty("flywheel.test.registry", "http://127.0.0.1:18081"));
    }

    @Test
    void aSurvivingReplicaFinishesTheKilledOnesJobsAndEveryJobEndsOnce() throws Exception {
        String jar = System.getProperty("retrain.jar", "target/quarkus-app/quarkus-run.jar");
        String run = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
        MinioClient s3 = MinioClient.builder().endpoint(System.getProperty("flywheel.test.s3", "http://127.0.0.1:19000"))
                .credentials("flywheel", "flywheel-secret").build();
        List<String> models = new ArrayList<>();
        for (int m = 0; m < MODELS; m++) {
            String model = run + "-m" + m;
            models.add(model);
            RegistryFixture.createModel(model);
            // a champion that knows only noise, so every candidate beats it and asks for promotion
            RegistryFixture.registerChampion(model, RegistryFixture.trained(300, 90 + m, List.of("noise")));
            LabelledSegments.write(s3, "flywheel-test", model, Rows.churn(3000, 20 + m), Instant.now().minus(Duration.ofMinutes(10)));
        }

        try (RetrainProcess a = new RetrainProcess(jar, 18285, run, run + "-a");
             RetrainProcess b = new RetrainProcess(jar, 18286, run, run + "-b");
             KafkaCompanion kafka = new KafkaCompanion(System.getProperty("flywheel.test.kafka", "127.0.0.1:19092"))) {
            a.start(true);
            b.start(false);
            String ownerA = a.workerId();
            String ownerB = b.workerId();
            String policy = Policies.churn("\"cooldown\": \"PT0S\", \"max_concurrent\": " + JOBS_PER_MODEL + ", \"daily_budget\": 50");
            for (String model : models) {
                a.api().contentType("application/json").body(policy).put("/api/v1/retrain/policies/" + model)
                        .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
            }

            // the jobs are asked for while the test watches the job table (the REST answers come too slowly
            // to catch a job in its first seconds); whichever worker is free claims each
            List<String> jobs = new CopyOnWriteArrayList<>();
            ExecutorService asking = Executors.newSingleThreadExecutor();
            Future<?> asked = asking.submit(() -> {
                for (int i = 0; i < JOBS_PER_MODEL; i++) {
                    for (String model : models) {
                        jobs.add(b.startJob(model));
                    }
                }
            });
            asking.shutdown();

            // a dies while it holds a job in its first steps
            Map<String, String> heldByA = new TreeMap<>();
            try (Connection db = DriverManager.getConnection("jdbc:" + RetrainProcess.DATABASE, "retrain", "retrain");
                 PreparedStatement held = db.prepareStatement("select id, state from retrain.retrain_job where lease_owner = ? and state in ('preparing-data', 'training')")) {
                held.setString(1, ownerA);
                RetrainProcess.await(Duration.ofMinutes(2), () -> {
                    try (ResultSet rows = held.executeQuery()) {
                        while (rows.next()) {
                            heldByA.put(rows.getString(1), rows.getString(2));
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return !heldByA.isEmpty();
                });
                a.kill();
            }
            long killedAt = System.nanoTime();
            asked.get(2, TimeUnit.MINUTES);
            assertThat(jobs).hasSize(MODELS * JOBS_PER_MODEL);

            // b finishes every job, a's included
            RetrainProcess.await(Duration.ofMinutes(3), () -> heldByA.keySet().stream().allMatch(id ->
                    ownerB.equals(b.job(id).getString("lease.owner")) || ENDED.contains(b.job(id).getString("state"))));
            double takenOverAfter = (System.nanoTime() - killedAt) / 1e9;
            RetrainProcess.await(Duration.ofMinutes(3), () -> jobs.stream().allMatch(id -> ENDED.contains(b.job(id).getString("state"))));
            double allEndedAfter = (System.nanoTime() - killedAt) / 1e9;

            int takenOver = 0;
            for (String id : jobs) {
                JsonPath job = b.job(id);
                assertThat(job.getString("state")).as("job %s (%s)", id, job.getString("reason")).isEqualTo("promotion-requested");
                boolean leaseLost = job.getList("transitions.reason", String.class).stream()
                        .anyMatch(r -> r != null && r.startsWith("worker " + ownerA + " stopped renewing its lease"));
                // a job is tried again only when its worker died holding it; a second attempt has nothing else to come from
                assertThat(job.getInt("attempt")).as("attempts of %s", id).isEqualTo(leaseLost ? 2 : 1);
                takenOver += leaseLost ? 1 : 0;
            }
            // a may have finished one in the moment between the look and the kill, not all of them
            assertThat(takenOver).as("jobs of a taken over by b").isPositive().isLessThanOrEqualTo(heldByA.size());

            // exactly one candidate version per job in the registry
            Map<String, Integer> versionsByJob = new HashMap<>();
            for (String model : models) {
                for (int v = 2; RegistryFixture.versionStatus(model, v) == 200; v++) {
                    versionsByJob.merge(RegistryFixture.version(model, v).getString("tags.'retrain.job'"), 1, Integer::sum);
                }
            }
            assertThat(versionsByJob).as("candidate versions per job").hasSize(jobs.size()).allSatisfy((job, n) -> assertThat(n).isEqualTo(1));
            assertThat(versionsByJob.keySet()).containsExactlyInAnyOrderElementsOf(jobs);

            // one promotion request per job (an event id sent twice is one request: consumers drop the resend)
            Map<String, Set<String>> requestIds = new HashMap<>();
            try (ConsumerTask<String, String> out = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                    .fromTopics(a.outboxTopic())) {
                RetrainProcess.await(Duration.ofSeconds(60), () -> {
                    requestIds.clear();
                    for (ConsumerRecord<String, String> r : out.stream().toList()) {
                        if (PromotionRequested.TYPE.equals(header(r, "ce_type"))) {
                            requestIds.computeIfAbsent(jobIdOf(r.value()), k -> new HashSet<>()).add(header(r, "ce_id"));
                        }
                    }
                    return requestIds.size() == jobs.size();
                });
            }
            assertThat(requestIds.keySet()).containsExactlyInAnyOrderElementsOf(jobs);
            assertThat(requestIds.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));

            System.out.printf("two retrain replicas: %d jobs; a held %d in their first steps when killed (%s), %d of them "
                            + "taken over by b, all held by b or ended %.1f s after the kill (lease 4 s, reaper every 1 s); every job "
                            + "ended %.1f s after the kill, each with one candidate version and one promotion request%n",
                    jobs.size(), heldByA.size(), String.join(", ", heldByA.values()), takenOver, takenOverAfter, allEndedAfter);
        }
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String jobIdOf(String value) {
        try {
            JsonNode node = JSON.readTree(value);
            return node.path("job_id").asText(null);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + value, e);
        }
    }
}
