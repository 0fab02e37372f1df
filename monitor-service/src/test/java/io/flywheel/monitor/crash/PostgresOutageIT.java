package io.flywheel.monitor.crash;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PostgreSQL stopped for 30 s while predictions and labels flow, then started again: the packaged
 * monitor waits through the outage (readiness DOWN, nothing dead-lettered), is ready again within
 * 30 s of PostgreSQL's return without being restarted, and counts every prediction and label
 * exactly once.
 * <p>
 * It stops and starts the test stack's own PostgreSQL cluster through the launcher
 * ({@code FLYWHEEL_STACK=test ./flywheel stop postgres}, then {@code ./flywheel stack}), which nothing
 * but this test run uses. Other commands can be given with {@code -Dmonitor.it.postgres-stop} and
 * {@code -Dmonitor.it.postgres-start} (or the environment's {@code MONITOR_IT_POSTGRES_STOP} /
 * {@code _START}): shell commands that return once PostgreSQL is down / accepts connections again;
 * point them only at a PostgreSQL of its own, never at one that others use. Quarkus's Maven plugin
 * re-splits the command line at spaces, so on Maven's command line give a script (or use the
 * environment).
 */
class PostgresOutageIT {

    private static final int FEATURES = 5;
    private static final int BEFORE = 4_000;          // predictions counted before PostgreSQL stops
    private static final int DURING = 6 * 1_000;      // predictions sent while it is down, 1,000 every 5 s
    private static final int N = BEFORE + DURING;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    @Test
    void theMonitorWaitsForPostgresAndCountsEverythingOnceWithoutARestart() throws Exception {
        String launcher = System.getProperty("flywheel.launcher", "");
        String stop = setting("monitor.it.postgres-stop", "MONITOR_IT_POSTGRES_STOP",
                launcher.isBlank() ? "" : "FLYWHEEL_STACK=test '" + launcher + "' stop postgres");
        String start = setting("monitor.it.postgres-start", "MONITOR_IT_POSTGRES_START",
                launcher.isBlank() ? "" : "FLYWHEEL_STACK=test '" + launcher + "' stack");
        assumeTrue(!stop.isBlank() && !start.isBlank(),
                "needs the launcher (flywheel.launcher) or -Dmonitor.it.postgres-stop and -start (commands for a PostgreSQL of its own)");
        String jar = System.getProperty("monitor.jar", "target/quarkus-app/quarkus-run.jar");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String model = "outage-" + run;
        try (MonitorProcess monitor = new MonitorProcess(jar, 18185, "outage-" + run)) {
            List<ProducerRecord<String, String>> predictions =
                    MonitorProcess.predictions(monitor.inferenceTopic(), model, N, FEATURES, 7);
            monitor.start(true);
            monitor.postReference(model, MonitorProcess.referenceCsv(FEATURES));
            // every second prediction gets its label, right after it: both consumers write the join table
            MonitorProcess.produce(predictions.subList(0, BEFORE));
            MonitorProcess.produce(MonitorProcess.labels(monitor.feedbackTopic(), model, 0, BEFORE / 2));
            MonitorProcess.await(Duration.ofMinutes(2), () -> monitor.predictions(model) == BEFORE);

            boolean stopped = false;
            try {
                shell(stop);
                stopped = true;
                long outageStart = System.nanoTime();
                long slowestReadiness = 0;
                int readyDuringOutage = 0;
                for (int batch = 0; batch < 6; batch++) {
                    int from = BEFORE + batch * 1_000;
                    MonitorProcess.produce(predictions.subList(from, from + 1_000));
                    MonitorProcess.produce(MonitorProcess.labels(monitor.feedbackTopic(), model, from, from + 500));
                    while (System.nanoTime() - outageStart < TimeUnit.SECONDS.toNanos(5L * (batch + 1))) {
                        long t = System.nanoTime();
                        if (monitor.readiness() == 200) {
                            readyDuringOutage++;
                        }
                        slowestReadiness = Math.max(slowestReadiness, System.nanoTime() - t);
                        Thread.sleep(500);
                    }
                }
                while (System.nanoTime() - outageStart < OUTAGE.toNanos()) {
                    Thread.sleep(100);
                }
                System.out.printf("outage: readiness answered UP %d times, slowest answer %d ms%n",
                        readyDuringOutage, TimeUnit.NANOSECONDS.toMillis(slowestReadiness));
                assertThat(readyDuringOutage).as("readiness UP while PostgreSQL is down").isZero();
            } finally {
                if (stopped) {
                    shell(start);
                }
            }

            long back = System.nanoTime();
            MonitorProcess.await(RECOVERY, () -> monitor.readiness() == 200);
            long ready = System.nanoTime();
            MonitorProcess.await(RECOVERY.minusNanos(ready - back),
                    () -> monitor.predictions(model) >= N && monitor.labelled(model) >= N / 2);
            long counted = System.nanoTime();
            System.out.printf("after PostgreSQL came back: ready in %d ms, everything counted in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(ready - back), TimeUnit.NANOSECONDS.toMillis(counted - back));

            Thread.sleep(3_000); // a second evaluation: nothing more comes in later
            assertThat(monitor.predictions(model)).as("predictions counted").isEqualTo(N);
            assertThat(monitor.labelled(model)).as("labels folded into quality").isEqualTo(N / 2);
            assertThat(monitor.status(model)).contains("\"samples\":" + N);
            assertThat(monitor.counter("flywheel_monitor_predictions_total", "dead-lettered")).isZero();
            assertThat(monitor.counter("flywheel_monitor_labels_total", "dead-lettered")).isZero();
            assertThat(monitor.readiness()).isEqualTo(200);
        }
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property, System.getenv(variable));
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void shell(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("command failed: " + command);
        }
    }
}
