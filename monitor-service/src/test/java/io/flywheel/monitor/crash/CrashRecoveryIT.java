package io.flywheel.monitor.crash;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the packaged monitor in the middle of a stream loses no prediction and counts none
 * twice: the same N predictions give the same counts and the same window with a crash and a restart
 * as without. Runs in {@code verify} (failsafe) after the jar is packaged:
 * {@code ./mvnw -B -ntp -f monitor-service/pom.xml verify -Dtest=skip -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CrashRecoveryIT {

    private static final int N = 30_000;
    private static final int FEATURES = 5;

    @Test
    void aKilledMonitorCountsTheSameAsOneThatWasNot() throws Exception {
        String jar = System.getProperty("monitor.jar", "target/quarkus-app/quarkus-run.jar");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String model = "crash-" + run;

        // with a crash: kill -9 once part of the stream is counted, restart, let it finish
        String withCrash;
        try (MonitorProcess monitor = new MonitorProcess(jar, 18182, "crash-" + run)) {
            monitor.start(true);
            monitor.postReference(model, MonitorProcess.referenceCsv(FEATURES));
            List<ProducerRecord<String, String>> records = MonitorProcess.predictions(monitor.inferenceTopic(), model, N, FEATURES, 42);
            MonitorProcess.produce(records);
            MonitorProcess.await(Duration.ofMinutes(3), () -> monitor.predictions(model) >= N / 3);
            long before = monitor.predictions(model);
            monitor.kill();
            assertThat(before).as("killed mid-stream").isLessThan(N);
            monitor.start(false);
            MonitorProcess.await(Duration.ofMinutes(3), () -> monitor.predictions(model) >= N);
            MonitorProcess.await(Duration.ofSeconds(60), () -> monitor.status(model).contains("\"samples\":" + N));
            withCrash = monitor.status(model);
            System.out.printf("crash test: %d counted when killed, %d after restart%n", before, monitor.predictions(model));
        }

        // without a crash: the same records on a fresh topic and group
        String reference;
        String model2 = model + "b";
        try (MonitorProcess monitor = new MonitorProcess(jar, 18183, "crash-" + run + "b")) {
            monitor.start(false);
            monitor.postReference(model2, MonitorProcess.referenceCsv(FEATURES));
            MonitorProcess.produce(MonitorProcess.predictions(monitor.inferenceTopic(), model2, N, FEATURES, 42));
            MonitorProcess.await(Duration.ofMinutes(3), () -> monitor.predictions(model2) >= N);
            MonitorProcess.await(Duration.ofSeconds(60), () -> monitor.status(model2).contains("\"samples\":" + N));
            reference = monitor.status(model2);
        }
        assertThat(count(withCrash)).isEqualTo(N);
        assertThat(count(reference)).isEqualTo(N);
        // the same window: the same number of samples and the same statistic of every feature
        assertThat(windowPart(withCrash)).isEqualTo(windowPart(reference));
    }

    private static long count(String status) {
        var m = java.util.regex.Pattern.compile("\"predictions\":(\\d+)").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The drift figures of the latest window, without the evaluation time. */
    private static String windowPart(String status) {
        int at = status.indexOf("\"features\":{");
        int end = status.indexOf("\"prediction\":", at);
        String samples = status.replaceAll("(?s).*?(\"samples\":\\d+).*", "$1");
        return samples + " " + (at < 0 ? "" : status.substring(at, end < 0 ? status.length() : end));
    }
}
