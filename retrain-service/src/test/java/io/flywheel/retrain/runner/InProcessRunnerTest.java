package io.flywheel.retrain.runner;

import io.flywheel.linear.LinearModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.flywheel.retrain.runner.RunnersTestSupport.PARAMS;
import static io.flywheel.retrain.runner.RunnersTestSupport.dataset;
import static io.flywheel.retrain.runner.RunnersTestSupport.log;
import static io.flywheel.retrain.runner.RunnersTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InProcessRunnerTest {

    @TempDir
    Path dir;

    @Test
    void trainsAndWritesTheArtifactAndMetrics() throws Exception {
        try (InProcessRunner runner = new InProcessRunner(1, 1)) {
            List<String> log = log();
            TrainingResult result = runner.start(request("flywheel-linear", dataset(dir, 200), dir.resolve("out"), PARAMS, log))
                    .result().get(60, TimeUnit.SECONDS);
            assertThat(result.succeeded()).isTrue();
            assertThat(LinearModel.read(dir.resolve("out/model.json")).artifact().trainedAt()).hasToString("2026-11-26T10:00:00Z");
            assertThat(Files.readString(dir.resolve("out/metrics.json"))).contains("flywheel-linear-metrics/v1");
            assertThat(log).anyMatch(line -> line.startsWith("split 200 rows: 160 to train, 40 held out"));
        }
    }

    @Test
    void badParametersAreExitCodeTwo() throws Exception {
        try (InProcessRunner runner = new InProcessRunner(1, 1)) {
            TrainingResult result = runner.start(request("flywheel-linear", dataset(dir, 20), dir.resolve("out"),
                    "{\"task\": \"binary-classification\", \"target\": \"missing\"}", log())).result().get(60, TimeUnit.SECONDS);
            assertThat(result.exitCode()).isEqualTo(TrainingResult.BAD_INPUT);
            assertThat(result.error()).contains("missing");
        }
    }

    @Test
    void thePoolIsBoundedAndAQueuedRunCanBeCancelled() throws Exception {
        try (InProcessRunner runner = new InProcessRunner(1, 1)) {
            Path data = dataset(dir, 5000);
            CountDownLatch started = new CountDownLatch(1);
            TrainingRun first = runner.start(new TrainingRequest("j1", "flywheel-linear", data.toUri().toString(), dir.resolve("a"), PARAMS,
                    java.time.Instant.now(), line -> started.countDown()));
            TrainingRun queued = runner.start(request("flywheel-linear", data, dir.resolve("b"), PARAMS, log()));
            assertThatThrownBy(() -> runner.start(request("flywheel-linear", data, dir.resolve("c"), PARAMS, log())))
                    .isInstanceOf(RunnerBusyException.class).hasMessageContaining("full");
            queued.cancel();
            assertThat(queued.result().get(5, TimeUnit.SECONDS).cancelled()).isTrue();
            first.cancel();
            assertThat(first.result().get(60, TimeUnit.SECONDS).succeeded()).isFalse();
            assertThat(Files.exists(dir.resolve("b/model.json"))).isFalse();
        }
    }

    @Test
    void onlyTheReferenceTrainerRunsInProcess() {
        try (InProcessRunner runner = new InProcessRunner(1, 1)) {
            assertThatThrownBy(() -> runner.start(request("sklearn", dir, dir, PARAMS, log())))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
